/**
 * Every card of the catalogue and a diagnosis result for every 目的 × 市町, rendered by each
 * adapter (LINE, Slack, Teams, terminal): the platform limits hold, the result arrives whole (every
 * card and the result's buttons), and the cards a business owner reads repeat nothing and show no
 * internal reference (line ranges, data file paths, table positions).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Card, OutgoingMessage } from '../src/core/types.ts';
import { LINE_LIMITS, renderLine } from '../src/channels/line/render.ts';
import { renderSlack, SLACK_MAX_BLOCKS } from '../src/channels/slack/render.ts';
import { renderTeams, TEAMS_MAX_ACTIVITIES } from '../src/channels/teams/render.ts';
import { loadDialogueData } from '../src/dialogue/data.ts';
import { diagnosisResult, followupAnswer } from '../src/dialogue/results.ts';
import { loadKnowledgeOrThrow } from '../src/knowledge/load.ts';
import { cardText, recordCard } from '../src/search/answer.ts';
import { validPhoneDigits } from '../src/text/phone.ts';
import { searchFor } from './helpers/engine-fixture.ts';

const kb = loadKnowledgeOrThrow();
const data = loadDialogueData();
/** What an owner must not see: 「001 L3195-3198」, 「L3198」, 「表の2行目」, 「knowledge/industries.yaml」. */
const INTERNAL = /\d{3} L\d|(?<![A-Za-z0-9])L\d{3,}|行目|knowledge\/\w/;
const RESULT_BUTTONS = ['intent:misses', 'intent:change', 'intent:restart'];
const chars = (s: string) => Array.from(s).length;
const meaning = (s: string) => s.normalize('NFKC').replace(/[\s\p{P}\p{S}]/gu, '');

/** Every limit and rule of one turn's replies on every channel; returns the problems found. */
function check(replies: OutgoingMessage[], what: string): string[] {
  const bad: string[] = [];
  const cards = replies.flatMap((r) => (r.type === 'cards' ? r.cards : []));
  const buttons = replies.flatMap((r) => [...(r.type === 'choices' ? r.choices : []), ...(r.type === 'cards' ? r.cards.flatMap((c) => c.actions ?? []) : [])]).map((c) => c.value);
  // LINE: ≤ 5 messages, ≤ 13 quick replies of ≤ 20 characters, ≤ 12 bubbles, the phone as text
  const line = renderLine(replies);
  if (line.length > LINE_LIMITS.messages) bad.push(`${what}: LINE ${line.length} messages`);
  const quick = line.at(-1)?.quickReply?.items ?? [];
  if (quick.length > LINE_LIMITS.quickReply) bad.push(`${what}: LINE ${quick.length} quick replies`);
  for (const q of quick) if (chars((q.action as { label: string }).label) > LINE_LIMITS.label) bad.push(`${what}: LINE label ${(q.action as { label: string }).label}`);
  const lineJson = JSON.stringify(line);
  for (const m of line) if (m.type === 'flex' && m.contents.type === 'carousel' && m.contents.contents.length > LINE_LIMITS.bubbles) bad.push(`${what}: LINE bubbles`);
  // Slack: every message ≤ 50 blocks, every card and button present, the result's buttons on the last message
  const slack = renderSlack(replies);
  for (const m of slack) if (m.blocks.length > SLACK_MAX_BLOCKS) bad.push(`${what}: Slack ${m.blocks.length} blocks`);
  const slackJson = JSON.stringify(slack);
  // Teams: ≤ 3 activities, every card present, no single \n (Teams joins such lines)
  const teams = renderTeams(replies);
  if (teams.length > TEAMS_MAX_ACTIVITIES) bad.push(`${what}: Teams ${teams.length} activities`);
  const teamsCards = teams.flatMap((a) => a.attachments ?? []).filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  if (teamsCards.length !== cards.length) bad.push(`${what}: Teams shows ${teamsCards.length} of ${cards.length} cards`);
  for (const a of teams) if (a.text && /[^\n]\n[^\n]/.test(a.text)) bad.push(`${what}: Teams single line break in ${JSON.stringify(a.text.slice(0, 40))}`);
  const teamsJson = JSON.stringify(teams);
  for (const v of buttons) {
    const q = JSON.stringify(v);
    if (!slackJson.includes(q)) bad.push(`${what}: Slack lost button ${v}`);
    if (!teamsJson.includes(q)) bad.push(`${what}: Teams lost button ${v}`);
  }
  const results = replies.some((r) => r.type === 'choices' && r.choices.some((c) => c.value === 'intent:restart'));
  if (results) for (const v of RESULT_BUTTONS) if (!JSON.stringify(slack.at(-1)).includes(JSON.stringify(v))) bad.push(`${what}: Slack result button ${v} not on the last message`);
  for (const c of cards) {
    if (!slackJson.includes(JSON.stringify(c.title).slice(1, -1).replace(/[&<>]/g, (x) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[x]!))) bad.push(`${what}: Slack lost card ${c.id}`);
    bad.push(...cardProblems(c, what));
    for (const n of c.dial ?? []) {
      if (!lineJson.includes(n.number)) bad.push(`${what}: LINE does not show ${n.number} as text`);
      if (!lineJson.includes(JSON.stringify(n.tel))) bad.push(`${what}: LINE has no 電話する for ${n.tel}`);
    }
  }
  for (const [name, json] of [['LINE', lineJson], ['Slack', slackJson], ['Teams', teamsJson]] as const) {
    const m = INTERNAL.exec(json.replace(/"(?:id|value|data|shienChoice|action_id|uri|url|tel)":"[^"]*"/g, ''));
    if (m) bad.push(`${what}: ${name} shows an internal reference 「${json.slice(Math.max(0, m.index - 20), m.index + 20)}」`);
  }
  return bad;
}

/** The no-repeat rules of one card. */
function cardProblems(c: Card, what: string): string[] {
  const bad: string[] = [];
  const rec = kb.byId.get(c.id);
  if (c.kind === 'desk' && c.deskName === c.title) bad.push(`${what}: desk ${c.id} names itself as 相談先`);
  if (c.text && meaning(c.text.split('\n')[0]!) === meaning(c.title)) bad.push(`${what}: ${c.id} text restates the title`);
  for (const f of c.fields) if (meaning(f.value) === meaning(c.title)) bad.push(`${what}: ${c.id} field ${f.label} restates the title`);
  // a term that repeats the 相談先: its phone with little else, or exactly its name
  for (const f of c.fields) {
    const v = meaning(f.value);
    if (c.deskName && v === meaning(c.deskName)) bad.push(`${what}: ${c.id} field ${f.label} repeats the 相談先`);
    if (c.phone && v.includes(meaning(c.phone)) && v.split(meaning(c.phone)).join('').split(meaning(c.deskName ?? '\u0000')).join('').length <= 5) bad.push(`${what}: ${c.id} field ${f.label} repeats the 相談先`);
  }
  if (rec?.kind === 'desk' && rec.address) {
    const street = rec.address.replace(/^〒\S+\s*/, '').split(/\s/)[0]!;
    const times = cardText(c).split(street).length - 1;
    if (times > 1) bad.push(`${what}: desk ${c.id} shows its address ${times} times`);
  }
  if (c.actions?.some((a) => a.value === `detail:${c.id}`) && what.startsWith('詳しく')) bad.push(`${what}: 詳しく card has a 詳しく button`);
  for (const n of c.dial ?? []) if (!validPhoneDigits(n.number.replace(/\D/g, '')) || n.tel !== `tel:${n.number}`) bad.push(`${what}: ${c.id} dials ${n.tel}`);
  if (INTERNAL.test(JSON.stringify({ ...c, id: '', sourceRef: '', actions: [] }))) bad.push(`${what}: ${c.id} shows an internal reference`);
  return bad;
}

describe('every card of the catalogue on every channel', () => {
  it('fits, repeats nothing and shows no internal reference; its 詳しく card has no 詳しく button and cites the lines', () => {
    const bad: string[] = [];
    for (const rec of kb.records) {
      const card = recordCard(rec, kb);
      card.actions = [{ label: '詳しく', value: `detail:${rec.id}` }];
      bad.push(...check([{ type: 'cards', cards: [card] }], `card ${rec.id}`));
      const detail = followupAnswer(data, kb, rec, 'detail').replies;
      const full = detail.flatMap((r) => (r.type === 'cards' ? r.cards : []))[0];
      if (full?.actions?.length) bad.push(`詳しく ${rec.id}: has buttons ${full.actions.map((a) => a.label)}`);
      if (full && 'lines' in rec.source && !full.sourceLabel?.includes(`${rec.source.file} L${rec.source.lines[0]}`)) bad.push(`詳しく ${rec.id}: no line range for staff (${full.sourceLabel})`);
    }
    expect(bad.slice(0, 20)).toEqual([]);
    expect(kb.records.length).toBeGreaterThan(100);
  });

  it('the desk with two printed numbers gets two 電話する buttons, each dialling one number', () => {
    const desk = kb.desks.find((d) => d.phone?.includes('②'));
    expect(desk, 'a desk printed with ①② numbers').toBeDefined();
    const card = recordCard(desk!, kb);
    expect(card.dial!.map((n) => n.tel)).toEqual(['tel:083-222-6225', 'tel:083-223-2251']);
    const [flex] = renderLine([{ type: 'cards', cards: [card] }]) as any[];
    const calls = flex.contents.footer.contents.filter((b: any) => b.action.type === 'uri').map((b: any) => b.action.uri);
    expect(calls).toEqual(['tel:083-222-6225', 'tel:083-223-2251']);
    const ac = (renderTeams([{ type: 'cards', cards: [card] }])[0]!.attachments![0]!.content as any).actions.filter((a: any) => a.type === 'Action.OpenUrl');
    expect(ac.map((a: any) => a.url)).toEqual(['tel:083-222-6225', 'tel:083-223-2251']);
    expect(ac.map((a: any) => a.title)).toEqual(['電話する 083-222-6225', '電話する 083-223-2251']);
  });
});

describe('a diagnosis result for every 目的 × 市町 on every channel', () => {
  let search: Awaited<ReturnType<typeof searchFor>>;
  // the real catalogue's index (built once per worker) is set-up, not the test's work
  beforeAll(async () => {
    search = await searchFor(kb);
  }, 120_000);
  // every 目的 × 市町 pair, rendered for each channel: ≈20 s on a busy 2-core VM (a hang guard, not a speed target)
  it('arrives whole within each platform limit, without repetition or internal reference', { timeout: 120_000 }, () => {
    const purposes = data.flow.slots.find((s) => s.name === 'purpose')!.choices!.map((c) => c.label);
    const bad: string[] = [];
    let n = 0;
    for (const purpose of purposes) {
      for (const area of kb.areas) {
        const p = { purpose, municipality: area.name, industry: '飲食店', employees: 4 } as Parameters<typeof diagnosisResult>[3];
        const res = diagnosisResult(data, kb, search, p, { purpose, municipality: area.name, industry: '飲食店', employees: '4人' });
        bad.push(...check(res.replies, `${purpose}×${area.name}`));
        // no text message as short as 「相談先:」 of its own
        for (const r of res.replies) if (r.type === 'text' && chars(r.text) <= 8) bad.push(`${purpose}×${area.name}: tiny message ${r.text}`);
        n++;
      }
    }
    expect(n).toBe(purposes.length * kb.areas.length);
    expect(bad.slice(0, 20)).toEqual([]);
  });
});
