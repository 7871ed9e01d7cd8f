/**
 * The engine's answers built from the knowledge: the diagnosis result (class under the 中小企業基本法,
 * ranked programmes with why they match, local and specialised desks), the close misses
 * (「対象外は？」), desk lookups, follow-ups on the last result and the definition answer.
 * Cards come from src/search/answer.ts (`recordCard`), so every figure is copied from the record.
 * Every sentence and label is the wording of intents/replies.yaml and intents/eligibility.yaml.
 */
import type { Card, Choice, OutgoingMessage, Suggestion } from '../core/types.ts';
import type { KnowledgeBase } from '../knowledge/load.ts';
import { isDatasetRef, type Desk, type KnowledgeRecord, type Program, type Purpose } from '../knowledge/schema.ts';
import { findDefinition, type Classification } from '../eligibility/classify.ts';
import { localDesks, specialisedDesks } from '../eligibility/desks.ts';
import { matchPrograms, type MatchOptions } from '../eligibility/match.ts';
import { formatHeadcount, type Profile } from '../eligibility/profile.ts';
import { contactDesk, phoneText, recordCard, withoutInternalRefs } from '../search/answer.ts';
import { parsePhones } from '../text/phone.ts';
import type { SearchService } from '../search/service.ts';
import { matchKey } from '../text/normalize.ts';
import { say, wording, wordingChoices, type DialogueData } from './data.ts';
import { CHOICE_PREFIX, classOf } from './flow.ts';
import { affirmed } from './slots.ts';

export { affirmed };

/** Replies plus what they recommend and the ids follow-ups refer to. */
export interface Answer {
  replies: OutgoingMessage[];
  suggestions: Suggestion[];
  /** ids of the records shown, the one a follow-up refers to first */
  results: string[];
}

const suggestion = (r: KnowledgeRecord): Suggestion => ({ id: r.id, kind: r.kind, name: r.name });

function text(t: string | null | undefined): OutgoingMessage[] {
  return t ? [{ type: 'text', text: t }] : [];
}

/** The 「詳しく」 button (`detailChoice` of replies.yaml) of a record. */
function detailChoice(data: DialogueData, id: string): Choice {
  return { label: wording(data, 'detailChoice'), value: `${CHOICE_PREFIX.detail}${id}` };
}

/**
 * The title of a scheme's card: its 事業 first (「中小企業デジタル経営転換支援事業 › 先駆型補助金」), so a
 * scheme is never shown by its sub-heading alone; other records keep their name. `sep` from replies.yaml
 * (`schemeSeparator`).
 */
export function schemeTitle(data: DialogueData, kb: KnowledgeBase, rec: KnowledgeRecord, title = rec.name): string {
  const parent = rec.kind === 'program' && rec.parent ? kb.byId.get(rec.parent) : undefined;
  if (parent?.kind !== 'program' || title.includes(parent.name)) return title;
  return `${parent.name}${wording(data, 'schemeSeparator')}${title}`;
}

/** A programme/desk card with a 「詳しく」 button; a scheme's card names its 事業. */
function cardWithActions(data: DialogueData, rec: KnowledgeRecord, kb: KnowledgeBase): Card {
  const card = recordCard(rec, kb);
  card.title = schemeTitle(data, kb, rec, card.title);
  card.actions = [detailChoice(data, rec.id)];
  return card;
}


/** 「業種: 飲食店 / 従業員: 4人 / …」 from the answers' display labels. */
export function profileSummary(data: DialogueData, labels: Record<string, string>): string {
  return data.flow.slots
    .filter((s) => labels[s.name])
    .map((s) => `${s.label}: ${labels[s.name]}`)
    .join(' / ');
}

/** The sentence giving the class under the 中小企業基本法. */
export function classSentence(data: DialogueData, kb: KnowledgeBase, cls: Classification): string {
  const group = cls.industryGroup ? (kb.industries.groups.find((g) => g.group === cls.industryGroup)?.label ?? cls.industryGroup) : null;
  const key = cls.sme === true ? (cls.smallEnterprise ? 'result.classSmall' : 'result.classSme') : cls.sme === false ? 'result.classNotSme' : 'result.classUnknown';
  return say(data, key, { group }) ?? say(data, 'result.classUnknown') ?? '';
}

/** Relevance of the user's own words (0‥1 per programme id), from the search index. */
export function searchBoost(search: SearchService | null, query: string | undefined): Map<string, number> {
  const boost = new Map<string, number>();
  const positive = affirmed(query ?? '');
  if (!search || !positive) return boost;
  const res = search.search(positive, { top: 30, kinds: ['program'] });
  const max = res.hits[0]?.score ?? 0;
  if (max > 0) for (const h of res.hits) boost.set(h.record.id, h.score / max);
  return boost;
}

/** The target groups of flow.yaml, declared when the user's words name them. */
export function targetGroups(data: DialogueData, userWords: string): { label: string; words: string[]; declared: boolean }[] {
  const key = matchKey(affirmed(userWords));
  return data.flow.targetGroups.map((g) => ({ ...g, declared: g.words.some((w) => key.includes(matchKey(w))) }));
}

/** Ranking options from flow.yaml and the user's own words (the one-shot message). */
export function matchOptions(data: DialogueData, search: SearchService | null, query: string | undefined): MatchOptions {
  return { boost: searchBoost(search, query), groups: targetGroups(data, query ?? ''), categoryWeight: data.flow.categoryWeight, wording: data.eligibility };
}

/**
 * The best `n` matches, a 事業 left out when one of its schemes is shown (the scheme's card names its
 * 事業: 「中小企業デジタル経営転換支援事業 › 先駆型補助金」); a scheme ranked below its 事業 takes its place.
 */
export function withoutUmbrellas<T extends { program: Program }>(matches: T[], n: number): T[] {
  const top: T[] = [];
  for (const m of matches) {
    if (top.length >= n) break;
    if (top.some((t) => t.program.parent === m.program.id)) continue;
    const parentAt = top.findIndex((t) => t.program.id === m.program.parent);
    if (parentAt >= 0) top[parentAt] = m;
    else top.push(m);
  }
  return top;
}

/** Local 商工会議所/商工会 (the decided one, else every candidate) and the specialised desks. */
export function desksFor(kb: KnowledgeBase, p: Profile): { local: Desk[]; special: Desk[]; decided: boolean } {
  const local = p.municipality ? localDesks(kb, p.municipality, p.area) : null;
  const special = specialisedDesks(kb, p.purpose, p.municipality);
  return { local: local ? (local.decided ? [local.decided] : local.desks) : [], special, decided: !!local?.decided };
}

/**
 * The matches shown: the best `count` prefectural programmes (a 事業 giving way to its matched scheme,
 * {@link withoutUmbrellas}) and, beside them, the best `national`
 * national programmes (records of an open dataset, knowledge/national/), in rank order — national
 * programmes are added to the local ones, never shown instead of them.
 */
export function shownMatches<T extends { program: Program }>(matches: T[], count: number, national: number): T[] {
  const isNational = (m: T) => isDatasetRef(m.program.source);
  const picked = new Set<T>([...withoutUmbrellas(matches.filter((m) => !isNational(m)), count), ...matches.filter(isNational).slice(0, national)]);
  return matches.filter((m) => picked.has(m));
}

/**
 * The diagnosis result: class sentence with its reasons, the top programmes as cards with 「合う理由」,
 * the desks, and the next-step choices.
 */
export function diagnosisResult(data: DialogueData, kb: KnowledgeBase, search: SearchService | null, p: Profile, labels: Record<string, string>, query?: string): Answer {
  const cls = classOf(kb, p, data.eligibility);
  const { matches } = matchPrograms(kb, p, cls, matchOptions(data, search, query));
  const top = shownMatches(matches, data.flow.resultCount, data.flow.nationalResultCount);
  const replies: OutgoingMessage[] = [];
  replies.push(...text(say(data, 'result.header', { profile: profileSummary(data, labels) })));
  // the owner reads the rule, not where it is printed (「（001 L3198）」 stays with `cli classify`)
  const why = cls.criteria.map(withoutInternalRefs).join(' / ');
  replies.push(...text([classSentence(data, kb, cls), say(data, 'result.classWhy', { why }), ...cls.notes.map(withoutInternalRefs)].filter(Boolean).join('\n')));
  if (top.length) {
    replies.push(...text(say(data, 'result.programsHeader', { shown: top.length, count: matches.length })));
    const whyLabel = wording(data, 'result.whyLabel');
    replies.push({
      type: 'cards',
      cards: top.map((m) => {
        const card = cardWithActions(data, m.program, kb);
        if (m.reasons.length) card.fields = [{ label: whyLabel, value: m.reasons.join('／') }, ...card.fields];
        return card;
      }),
    });
  } else replies.push(...text(say(data, 'result.noPrograms')));
  const desks = desksFor(kb, p);
  const deskRecs = [...desks.local, ...desks.special.filter((d) => !desks.local.includes(d))];
  if (deskRecs.length) {
    // the short 「相談先」 is the cards' heading, not a message of its own
    const heading = say(data, 'result.desksHeader') ?? undefined;
    replies.push({
      type: 'cards',
      ...(heading ? { heading } : {}),
      cards: deskRecs.map((d) => {
        const card = cardWithActions(data, d, kb);
        const label = desks.local.includes(d) ? say(data, 'result.localDeskLabel', { deskType: d.deskType }) : say(data, 'result.specialDeskLabel', { purpose: p.purpose });
        if (label) card.subtitle = label;
        return card;
      }),
    });
  }
  const choices = wordingChoices(data, 'result.choices');
  replies.push({ type: 'choices', text: wording(data, 'result.next'), choices });
  return {
    replies,
    suggestions: [...top.map((m) => suggestion(m.program)), ...deskRecs.map(suggestion)],
    results: [...top.map((m) => m.program.id), ...deskRecs.map((d) => d.id)],
  };
}

/** 「対象外は？」: programmes excluded by exactly one condition, with that condition. */
export function missesAnswer(data: DialogueData, kb: KnowledgeBase, search: SearchService | null, p: Profile, query?: string): Answer {
  const cls = classOf(kb, p, data.eligibility);
  const { misses } = matchPrograms(kb, p, cls, matchOptions(data, search, query));
  const shown = misses.slice(0, data.flow.missCount);
  if (!shown.length) return { replies: text(say(data, 'misses.none')), suggestions: [], results: [] };
  const lines = shown.map((m) => say(data, 'misses.item', { name: m.program.name, reason: m.excludedBy })).filter(Boolean);
  return { replies: text([wording(data, 'misses.header'), ...lines].join('\n')), suggestions: [], results: shown.map((m) => m.program.id) };
}

/** Desk lookup for a 市町 (and locality): the local desks as cards, the decided one first. */
export function deskAnswer(data: DialogueData, kb: KnowledgeBase, municipality: string, area: string | null): Answer {
  const r = localDesks(kb, municipality, area);
  const replies: OutgoingMessage[] = [];
  if (!r.desks.length) return { replies: text(say(data, 'unknownMunicipality', { text: municipality })), suggestions: [], results: [] };
  const shown = r.decided ? [r.decided, ...r.desks.filter((d) => d !== r.decided)] : r.desks;
  if (r.decided && area) replies.push(...text(say(data, 'desk.localDecided', { municipality: r.municipality, area, deskName: r.decided.name })));
  else if (area && !r.decided) replies.push(...text(say(data, 'noAreaMatch', { area, municipality: r.municipality })));
  else replies.push(...text(say(data, 'desk.local', { municipality: r.municipality })));
  replies.push({ type: 'cards', cards: shown.map((d) => cardWithActions(data, d, kb)) });
  return { replies, suggestions: shown.map(suggestion), results: shown.map((d) => d.id) };
}

/**
 * 「事業承継の相談はどこ？」「相談先」: the desk for the topic at once — the specialised desks whose
 * `purposes` hold the topic (most specialised first: 事業承継 → 事業承継・引継ぎ支援センター, 経営改善・再生
 * → 中小企業活性化協議会, 知財 → 知財総合支援窓口), else the general desk of intents/answers.yaml
 * (`generalDesk`, よろず支援拠点) — then the local 商工会議所/商工会 when the place is known. Without a
 * place, the 市町 are offered as buttons (`askPlace` true: the engine then reads a 市町 typed or chosen).
 * Among the desks of the topic, those the message's own words match best (desk search: 「再生」 → 中小企業
 * 活性化協議会 within 経営改善・再生) come first.
 * @param topic a dialogue purpose read from the message, or null (general)
 */
export function consultAnswer(
  data: DialogueData,
  kb: KnowledgeBase,
  search: SearchService | null,
  topic: Purpose | null,
  place: { municipality: string; area: string | null } | null,
  message = '',
): Answer & { askPlace: boolean } {
  const general = search ? kb.byId.get(search.wording.generalDesk) : undefined;
  // the general desk serves every topic: it is the answer only when no desk is specialised in this one
  const special = rankDesksByWords(search, specialisedDesks(kb, topic, place?.municipality, 20).filter((d) => d !== general), message).slice(0, 2);
  const desks: Desk[] = special.length ? special : general?.kind === 'desk' ? [general] : [];
  const replies: OutgoingMessage[] = [];
  const head = topic && special.length ? say(data, 'consult.topic', { topic }) : say(data, 'consult.general');
  if (desks.length) {
    replies.push(...text(head));
    replies.push({
      type: 'cards',
      cards: desks.map((d) => {
        const card = cardWithActions(data, d, kb);
        const label = topic && special.includes(d) ? say(data, 'result.specialDeskLabel', { purpose: topic }) : null;
        if (label) card.subtitle = label;
        return card;
      }),
    });
  }
  let local: Desk[] = [];
  if (place) {
    const r = localDesks(kb, place.municipality, place.area);
    local = r.decided ? [r.decided] : r.desks;
    if (local.length) {
      replies.push(...text(say(data, 'consult.local', { municipality: r.municipality })));
      replies.push({ type: 'cards', cards: local.map((d) => {
        const card = cardWithActions(data, d, kb);
        card.subtitle = say(data, 'result.localDeskLabel', { deskType: d.deskType }) ?? card.subtitle;
        return card;
      }) });
    }
  } else {
    const choices = kb.areas.map((a) => ({ label: a.name, value: a.name }));
    replies.push({ type: 'choices', text: wording(data, 'consult.askPlace'), choices });
  }
  const shown = [...desks, ...local];
  return { replies, suggestions: shown.map(suggestion), results: shown.map((d) => d.id), askPlace: !place };
}

/** Rank taken from a consultation desk per purpose it serves (so the most specialised desk wins close calls). */
export const DESK_BREADTH = 0.05;

/** `desks` (already ordered) re-ordered by the search score of `message` over desks; stable for ties and without search. */
function rankDesksByWords(search: SearchService | null, desks: Desk[], message: string): Desk[] {
  if (!search || desks.length < 2 || !matchKey(message)) return desks;
  // the words' relevance to these desks only (search.relevance), relative to the best of them
  const raw = search.relevance(message, desks.map((d) => d.id));
  const max = Math.max(0, ...raw.values());
  const score = new Map<string, number>();
  if (max > 0) for (const [id, v] of raw) score.set(id, v / max);
  // the words' relevance (0‥1), less a little per purpose the desk also serves: a desk for this topic alone wins a tie
  const rank = (d: Desk) => (score.get(d.id) ?? 0) - DESK_BREADTH * (d.purposes?.length ?? 0);
  return desks.map((d, i) => ({ d, i, s: rank(d) })).sort((a, b) => b.s - a.s || a.i - b.i).map((x) => x.d);
}

/** A printed phone field as the numbers it holds (「(083) ①222-6225 ②223-2251」 → 「083-222-6225 / 083-223-2251」). */
function spoken(phone: string | undefined): string | undefined {
  return phone ? phoneText({ phone, dial: parsePhones(phone) }) : undefined;
}

/** Which fact a follow-up asks for (intents.yaml `followupFields`); 'detail' when none names one. */
export function followupField(data: DialogueData, message: string): string {
  const key = matchKey(message);
  for (const f of data.intents.followupFields) if (f.words.some((w) => key.includes(matchKey(w)))) return f.field;
  return 'detail';
}

/** Answers a follow-up about `rec` (「その補助率は？」「電話番号は？」「詳しく」「対象は？」). */
export function followupAnswer(data: DialogueData, kb: KnowledgeBase, rec: KnowledgeRecord, field: string): Answer {
  const base = { suggestions: [suggestion(rec)], results: [rec.id] };
  const card = recordCard(rec, kb);
  const contact = contactDesk(rec, kb);
  const label = wording(data, `followup.labels.${field}`);
  // the numbers as dialled (「083-222-6225 / 083-223-2251」), not the field's print layout
  const vars = { name: rec.name, label, deskName: contact?.desk.name, phone: spoken(contact?.phone) };
  if (field === 'detail') {
    // the full card: the whole summary, the conditions and, for staff, where it is printed; no 詳しく button on itself
    const full: Card = recordCard(rec, kb, undefined, { full: true });
    if (card.sourceLabel && card.sourceRef) full.sourceLabel = `${card.sourceLabel}（${card.sourceRef}）`;
    if (rec.kind === 'program' && rec.conditions?.length) full.fields = [...full.fields, { label: wording(data, 'followup.conditionsLabel'), value: withoutInternalRefs(rec.conditions.join('／')) }];
    return { ...base, replies: [{ type: 'cards', cards: [full] }] };
  }
  if (field === 'phone' && rec.kind === 'desk') {
    return { ...base, replies: text(rec.phone ? say(data, 'followup.deskPhone', { name: rec.name, phone: spoken(rec.phone) }) : say(data, 'followup.missingNoDesk', vars)) };
  }
  if (field === 'phone') {
    const t = contact?.phone ? say(data, 'followup.phone', vars) : contact ? say(data, 'followup.phoneMissing', vars) : say(data, 'followup.missingNoDesk', vars);
    return { ...base, replies: text(t), suggestions: contact && contact.desk.id !== rec.id ? [suggestion(rec), suggestion(contact.desk)] : base.suggestions };
  }
  if (field === 'source') return { ...base, replies: text(say(data, 'followup.source', { name: rec.name, value: card.sourceLabel })) };
  let value: string | undefined;
  if (rec.kind === 'program') {
    const t = rec.terms ?? {};
    if (field === 'target') value = [rec.target, ...(rec.conditions ?? [])].filter(Boolean).join('／') || undefined;
    else value = (t as Record<string, { text?: string } | undefined>)[field]?.text;
  } else if (field === 'target' && rec.kind === 'desk') value = rec.summary;
  if (value) return { ...base, replies: text(say(data, field === 'target' ? 'followup.target' : 'followup.value', { ...vars, value })) };
  const missing = contact?.phone ? 'followup.missing' : contact ? 'followup.missingNoPhone' : 'followup.missingNoDesk';
  return { ...base, replies: text(say(data, missing, vars)) };
}

/** The definition answer: the 中小企業基本法 definition cards, or a classification when industry and employees are given. */
export function definitionAnswer(data: DialogueData, kb: KnowledgeBase, p: Profile): Answer {
  if (p.employees !== null && p.employees !== undefined && p.industry) {
    const cls = classOf(kb, p, data.eligibility);
    const head = say(data, 'definition.classified', { industry: p.industry, employees: formatHeadcount(p.employees) });
    const reasons = cls.reasons.map((reason) => say(data, 'definition.reason', { reason: withoutInternalRefs(reason) }));
    return { replies: text([head, classSentence(data, kb, cls), ...reasons].filter(Boolean).join('\n')), suggestions: [], results: [] };
  }
  const defs = [findDefinition(kb, 'sme'), findDefinition(kb, 'smallEnterprise')].filter((d): d is NonNullable<typeof d> => !!d);
  return {
    replies: [...text(say(data, 'definition.intro')), ...(defs.length ? [{ type: 'cards' as const, cards: defs.map((d) => recordCard(d, kb)) }] : [])],
    suggestions: defs.map(suggestion),
    results: defs.map((d) => d.id),
  };
}

/**
 * A free-text search turn: the search's first line, the best `searchCards` hits as cards, the next
 * `searchMore` as buttons (「詳しく」 on each), and a way on (診断・相談先); or the not-found reply with the
 * general desk.
 */
export function searchAnswer(search: SearchService | null, message: string, data: DialogueData): Answer & { answered: boolean; normalized: string } {
  if (!search) return { replies: text(wording(data, 'error')), suggestions: [], results: [], answered: false, normalized: message };
  const { searchCards, searchMore } = data.flow;
  const res = search.search(message, { top: searchCards + searchMore });
  // a not-found reply's line of possibly related records becomes buttons here
  const head = res.answered || res.related?.length ? res.reply.split('\n\n')[0] : res.reply;
  const cards = res.cards.slice(0, res.answered ? searchCards : undefined).map((c) => {
    const rec = search.kb.byId.get(c.id);
    return { ...c, title: rec ? schemeTitle(data, search.kb, rec, c.title) : c.title, actions: c.actions ?? [detailChoice(data, c.id)] };
  });
  const more = (res.answered ? res.hits.slice(searchCards) : (res.related ?? [])).map((h) => ({ label: h.record.name, value: `${CHOICE_PREFIX.detail}${h.record.id}` }));
  const onward = wordingChoices(data, 'search.onward');
  const replies: OutgoingMessage[] = [...text(head), ...(cards.length ? [{ type: 'cards' as const, cards }] : [])];
  const moreText = !more.length ? 'search.next' : res.answered ? 'search.more' : 'search.related';
  if (more.length || onward.length) replies.push({ type: 'choices', text: wording(data, moreText), choices: [...more, ...onward] });
  const shown = res.answered ? res.hits : res.cards.map((c) => search.kb.byId.get(c.id)).filter((r): r is KnowledgeRecord => !!r).map((record) => ({ record }));
  const suggested = shown.slice(0, res.answered ? searchCards : undefined);
  return {
    replies,
    suggestions: suggested.filter((h) => h.record.kind === 'program' || h.record.kind === 'desk').map((h) => suggestion(h.record)),
    results: shown.map((h) => h.record.id),
    answered: res.answered,
    normalized: res.normalized,
  };
}

/** The general desk line (よろず支援拠点 …) of intents/answers.yaml, when the desk exists. */
export function generalDeskLine(data: DialogueData, search: SearchService | null, kb: KnowledgeBase): string | null {
  const id = search?.wording.generalDesk;
  const d = id ? kb.byId.get(id) : undefined;
  return d?.kind === 'desk' ? say(data, 'desk.general', { deskName: d.name, phone: d.phone }) : null;
}

export type { Choice, Program };
