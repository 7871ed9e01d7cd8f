/**
 * Gazetteer: the known names of the catalogue, recognised in text before tokenising (IPADIC splits
 * 周南市 into 周/南市 and 補助金 into 補助/金). Built from the KnowledgeBase:
 *  - 市町 (area records: name and aliases) and their localities (name and aliases);
 *  - programme, desk, definition and measure names and aliases.
 * Matching is greedy, longest first, left to right, on {@link matchKey} forms.
 */
import type { KnowledgeBase } from '../knowledge/load.ts';
import type { KnowledgeRecord, RecordKind } from '../knowledge/schema.ts';
import { fold, matchKey, normalize } from './normalize.ts';

/** A recognised 市町. */
export interface MunicipalityEntity {
  /** area record id */
  id: string;
  name: string;
  /** the text as matched (folded form) */
  matched: string;
  /** position just after the match in the folded text */
  end: number;
  /** true when only a locality of the 市町 was named (「阿知須」 → 山口市) */
  viaLocality?: boolean;
}

/** A recognised locality inside a 市町 (e.g. 小郡 in 山口市), with the desk that serves it if stated. */
export interface LocalityEntity {
  areaId: string;
  municipality: string;
  name: string;
  desk?: string;
  matched: string;
}

/** A recognised programme/desk/definition/measure name or alias. */
export interface RecordEntity {
  id: string;
  kind: RecordKind;
  name: string;
  matched: string;
  /** the record's own name key ({@link matchKey}) when the text wrote the name otherwise (read by its reading) */
  key?: string;
  /** with `key`: where the text read as the name is in the normalised text, [start, end) */
  span?: [number, number];
  /** position just after the match in the folded text */
  end: number;
}

/** Everything recognised in one text. Lists keep first-occurrence order without duplicates. */
export interface Entities {
  municipalities: MunicipalityEntity[];
  localities: LocalityEntity[];
  records: RecordEntity[];
}

type Entry =
  | { type: 'municipality'; key: string; area: { id: string; name: string } }
  | { type: 'locality'; key: string; area: { id: string; name: string }; name: string; desk?: string }
  | { type: 'record'; key: string; rec: KnowledgeRecord };

/** Minimum length (in characters, folded) of a name to be recognised as a substring. */
const MIN_KEY = 2;

/**
 * The 47 prefectures (without 都/道/府/県): a closed set, as in the 全国地方公共団体コード. A bare
 * prefecture name (「大阪で創業」) is another prefecture; other places need a 市町村 suffix.
 */
export const PREFECTURES: ReadonlySet<string> = new Set(
  ('北海道 青森 岩手 宮城 秋田 山形 福島 茨城 栃木 群馬 埼玉 千葉 東京 神奈川 新潟 富山 石川 福井 山梨 長野 岐阜 静岡 愛知 三重 ' +
    '滋賀 京都 大阪 兵庫 奈良 和歌山 鳥取 島根 岡山 広島 山口 徳島 香川 愛媛 高知 福岡 佐賀 長崎 熊本 大分 宮崎 鹿児島 沖縄').split(' '),
);

/**
 * The names of places, in {@link matchKey} form: every 市町 and locality of `areas` with its aliases,
 * and the 47 prefectures with and without 都/道/府/県. A record named only by one (a dataset's desk
 * called 「山口県」) is not named by a question that mentions the place.
 */
export function placeKeys(areas: KnowledgeBase['areas']): Set<string> {
  const out = new Set<string>();
  for (const area of areas) {
    for (const n of [area.name, ...area.aliases]) out.add(matchKey(n));
    for (const loc of area.localities) for (const n of [loc.name, ...(loc.aliases ?? [])]) out.add(matchKey(n));
  }
  for (const p of PREFECTURES) for (const s of ['', '県', '府', '都', '道']) out.add(matchKey(p + s));
  return out;
}

/**
 * Recognises known names in text. Construction is O(names); {@link recognise} is
 * O(text length × names sharing a first character).
 */
export class Gazetteer {
  private readonly byFirst = new Map<string, Entry[]>();
  /** folded key → ids of the records that carry it as name or alias */
  readonly recordKeys = new Map<string, Set<string>>();
  /** record id → parent id (programmes, desks, measures) */
  private readonly parents = new Map<string, string>();
  /** `key\0id` of aliases that do not name their record (generic words, {@link genericAliases}) */
  private readonly generic = new Set<string>();

  /** the names of places ({@link placeKeys}): no record is named by one */
  readonly places: ReadonlySet<string>;

  constructor(kb: Pick<KnowledgeBase, 'records' | 'areas'>) {
    this.places = placeKeys(kb.areas);
    for (const area of kb.areas) {
      const a = { id: area.id, name: area.name };
      for (const n of [area.name, ...area.aliases]) this.add({ type: 'municipality', key: matchKey(n), area: a });
      for (const loc of area.localities) {
        for (const n of [loc.name, ...(loc.aliases ?? [])]) {
          this.add({ type: 'locality', key: matchKey(n), area: a, name: loc.name, desk: loc.desk });
        }
      }
    }
    // a record whose name is a place's (a dataset's desk called 「山口県」) is not named by a question
    // mentioning that place: the place is recognised as a place
    const places = this.places;
    for (const rec of kb.records) {
      if ('parent' in rec && rec.parent) this.parents.set(rec.id, rec.parent);
      if (rec.kind === 'area') continue;
      for (const n of [rec.name, ...rec.aliases]) if (!places.has(matchKey(n))) this.addRecord(matchKey(n), rec);
    }
    // a programme's bracketed names that no other record's name or alias writes (shared ones,
    // 「（中心市街地活性化）」, are a topic, not this record's name)
    const names = [...this.recordKeys.keys()];
    for (const rec of kb.records) {
      for (const key of bracketKeysOf(rec)) {
        if (names.some((k) => k.includes(key) && ![...(this.recordKeys.get(k) ?? [])].every((id) => id === rec.id))) continue;
        if (this.addRecord(key, rec)) this.bracketKeys.add(`${key}\0${rec.id}`);
      }
    }
    for (const list of this.byFirst.values()) list.sort((x, y) => y.key.length - x.key.length);
  }

  /** `key\0id` of the bracketed names that name their programme ({@link bracketNames}) */
  readonly bracketKeys = new Set<string>();

  /** one-character 市町 names (萩): recognised only standing alone before a particle ({@link singleAt}) */
  private readonly single = new Map<string, Entry>();

  /** Adds `key` as a name of `rec` (also to {@link recordKeys}); false when the key is too short. */
  private addRecord(key: string, rec: KnowledgeRecord): boolean {
    if (!this.add({ type: 'record', key, rec })) return false;
    let ids = this.recordKeys.get(key);
    if (!ids) this.recordKeys.set(key, (ids = new Set()));
    ids.add(rec.id);
    return true;
  }

  private add(e: Entry): boolean {
    if (e.type === 'municipality' && [...e.key].length === 1) {
      this.single.set(e.key, e);
      return true;
    }
    if ([...e.key].length < MIN_KEY) return false;
    const first = e.key[0];
    let list = this.byFirst.get(first);
    if (!list) this.byFirst.set(first, (list = []));
    list.push(e);
    return true;
  }

  /**
   * Aliases that are generic words (see {@link genericAliases}) stop naming their record: the
   * question 「展示会に出たい」 is not a question about the one fair whose alias is 展示会.
   */
  setGenericAliases(list: readonly { id: string; key: string }[]): void {
    this.generic.clear();
    for (const g of list) this.generic.add(`${g.key}\0${g.id}`);
  }

  /** Whether the name `key` ({@link matchKey} form) of record `id` is a generic alias that names nothing. */
  isGeneric(key: string, id: string): boolean {
    return this.generic.has(`${key}\0${id}`);
  }

  /** The record-name keys of one record (folded name, aliases and a programme's {@link bracketNames}), for the index's name-key field. */
  static keysOf(rec: KnowledgeRecord): string[] {
    return [...new Set([...[rec.name, ...rec.aliases].map(matchKey), ...bracketKeysOf(rec)].filter((k) => [...k].length >= MIN_KEY))];
  }

  /**
   * Known names in `folded` (a {@link matchKey} string). At each position the longest name wins and
   * the scan continues after it; every entry sharing that longest key is reported (one key may name
   * several records). A 市町 name directly followed by 県 is not a 市町 (「山口県」 ≠ 山口市).
   */
  recognise(folded: string): Entities {
    const out: Entities = { municipalities: [], localities: [], records: [] };
    const seen = new Set<string>();
    let i = 0;
    while (i < folded.length) {
      const list = this.byFirst.get(folded[i]);
      let len = 0;
      if (list) {
        for (const e of list) {
          if (len && e.key.length < len) break;
          if (!folded.startsWith(e.key, i)) continue;
          if (e.type === 'municipality' && folded[i + e.key.length] === '県') continue;
          if (e.type === 'record' && this.generic.has(`${e.key}\0${e.rec.id}`)) continue;
          len = e.key.length;
          this.emit(e, out, seen, i + len);
        }
      }
      if (!len && this.singleAt(folded, i)) {
        len = 1;
        this.emit(this.single.get(folded[i])!, out, seen, i + 1);
      }
      i += len || 1;
    }
    return out;
  }

  /**
   * Whether a one-character 市町 name stands at `i` as a word of its own: not after a kanji or
   * katakana (観光, 萩焼 read 萩 after nothing but 焼 is no particle) and directly before a particle or
   * 市 (「萩で」「萩の」「萩市」「萩から」) — 光 in 観光で or 萩焼 is not a place.
   */
  private singleAt(folded: string, i: number): boolean {
    if (!this.single.has(folded[i])) return false;
    const before = i > 0 ? folded[i - 1] : '';
    if (before && /[\u3400-\u9fff\u30a0-\u30ff\u3041-\u309f]/.test(before) && !/[のでにはもへとやから]/.test(before)) return false;
    return /^(?:で|の|に|へ|から|は|市|、|。|$)/.test(folded.slice(i + 1, i + 3));
  }

  /**
   * The recognised records the question is about: without those that are an ancestor (parent,
   * grandparent …) of another recognised record (a 事業 named with one of its schemes → the scheme),
   * and without a name that modifies a later one (「AのB」 with both known → B).
   * @param folded the text the records were recognised in
   */
  heads(records: RecordEntity[], folded: string): RecordEntity[] {
    // a name followed by の that another name follows closely qualifies it (「商工業推進計画のアクション6」);
    // one whose の begins something else (「経営支援特別資金の融資限度額は？…損失補償が」) is named itself
    const startOf = (r: RecordEntity) => r.end - r.matched.length;
    const modifiers = new Set(
      records.filter((r) => folded[r.end] === 'の' && records.some((o) => o !== r && startOf(o) > r.end && startOf(o) - (r.end + 1) <= MODIFIER_GAP)).map((r) => r.id),
    );
    return this.mostSpecific(records).filter((r) => !modifiers.has(r.id));
  }

  /**
   * The recognised records without those that are an ancestor (parent, grandparent …) of another
   * recognised record: when a question names both a 事業 and one of its schemes, the scheme is meant.
   */
  mostSpecific(records: RecordEntity[]): RecordEntity[] {
    const ancestors = new Set<string>();
    for (const r of records) {
      const seen = new Set<string>([r.id]);
      for (let p = this.parents.get(r.id); p && !seen.has(p); p = this.parents.get(p)) {
        seen.add(p);
        ancestors.add(p);
      }
    }
    return records.filter((r) => !ancestors.has(r.id));
  }

  private emit(e: Entry, out: Entities, seen: Set<string>, end: number): void {
    const tag = `${e.type}:${e.type === 'record' ? e.rec.id : e.type === 'locality' ? `${e.area.id}/${e.name}` : e.area.id}`;
    if (seen.has(tag)) return;
    seen.add(tag);
    if (e.type === 'municipality') out.municipalities.push({ id: e.area.id, name: e.area.name, matched: e.key, end });
    else if (e.type === 'locality') {
      out.localities.push({ areaId: e.area.id, municipality: e.area.name, name: e.name, desk: e.desk, matched: e.key });
      if (!seen.has(`municipality:${e.area.id}`)) {
        seen.add(`municipality:${e.area.id}`);
        out.municipalities.push({ id: e.area.id, name: e.area.name, matched: e.key, end, viaLocality: true });
      }
    } else out.records.push({ id: e.rec.id, kind: e.rec.kind, name: e.rec.name, matched: e.key, end });
  }
}

/** Most characters between a name's の and the name it qualifies (「…計画の新アクション6」). */
const MODIFIER_GAP = 4;

/** Kinds of programme as printed in the sources (補助金, 助成金 … 共済): a name ending in one is a programme's name. */
const PROGRAMME_KINDS = ['補助金', '助成金', '奨励金', '給付金', '交付金', '応援金', '協力金', '融資', '共済'];
/** An alias ending in a kind of programme (〇〇補助金, 〇〇助成金, 〇〇融資, 〇〇共済 …) is a programme's name, never a generic word. */
const PROGRAMME_NAME = new RegExp(`.(?:${PROGRAMME_KINDS.join('|')})$`);

/** An alias that occurs in the text of this many other records (or more) is a generic word. */
export const GENERIC_ALIAS_RECORDS = 3;

/**
 * Most records a word may be shared by before the catalogue uses it as a common word: max(8, 1 % of
 * the catalogue). Limits a keyword's sharing (src/text/vocabulary.ts) and a name part's mentions.
 */
export function commonWordLimit(records: number): number {
  return Math.max(8, Math.ceil(records * 0.01));
}

/** An alias that is a generic word: it occurs in the text of many other records. */
export interface GenericAlias {
  id: string;
  /** index in the record's `aliases` */
  index: number;
  alias: string;
  /** its {@link matchKey} */
  key: string;
  /** other records whose text holds the folded alias (counted up to `limit`) */
  records: number;
  /** how many other records make this alias generic */
  limit: number;
  /** true when only the folded form is common (the alias as written is not): 山口デー → 「山口で」 */
  folds: boolean;
}

/** The text of a record a generic alias is looked for in: names, keywords, summary, target, conditions, terms. */
function recordWords(rec: KnowledgeRecord): string {
  const parts: (string | undefined)[] = [rec.name, ...rec.aliases, ...(rec.keywords ?? []), rec.summary];
  if (rec.kind === 'program') parts.push(rec.target, ...(rec.conditions ?? []), ...(rec.terms?.other ?? []).map((o) => o.text));
  if (rec.kind === 'definition') parts.push(rec.body);
  return parts.filter(Boolean).join('\n');
}

/**
 * Aliases that are generic words: the alias (after {@link matchKey}) occurs in the text of at least
 * {@link GENERIC_ALIAS_RECORDS} other records, not counting where those records mention the record
 * by a longer name of its own (「よろず支援拠点」 in another record does not make 「よろず」 generic).
 * Records that mention each other as a matter of course (parent/child, siblings, a programme
 * and its desk) do not count; a desk's aliases (names of an organisation) and aliases that end in a
 * kind of programme (ものづくり補助金) are names, never generic. An alias that is a part of the printed
 * name itself (「中小企業等経営強化法（経営力向上計画）」 → 経営力向上計画: the title says the programme
 * is that plan, which other records refer to) is generic only when more than {@link commonWordLimit}
 * other records use it (専門家派遣 of 「専門家派遣 (…ワンストップ総合支援事業)」).
 * An alias whose short katakana ending folds into okurigana or a particle after kanji (山口デー →
 * 「山口で」) is a common phrase once folded and is flagged `folds`. Cost: O(aliases × catalogue text); run when the index is built and by `knowledge check`.
 */
export function genericAliases(kb: Pick<KnowledgeBase, 'records'>): GenericAlias[] {
  const recs = kb.records.filter((r) => r.kind !== 'area');
  const folded = recs.map((r) => matchKey(recordWords(r)));
  const out: GenericAlias[] = [];
  recs.forEach((rec, ri) => {
    // a desk's aliases are names of an organisation that other records refer to, not topic words
    const orgName = rec.kind === 'desk';
    const own = [rec.name, ...rec.aliases].map(matchKey);
    const nameParts = new Set(namePartsOf(rec.name).map(matchKey));
    rec.aliases.forEach((alias, index) => {
      const key = matchKey(alias);
      if ([...key].length < 2) return;
      const written = normalize(alias);
      // a short katakana ending after kanji folds into okurigana or a particle (山口デー → 山口で)
      const tail = written.match(/[\u4e00-\u9fff]([\u30a1-\u30fa\u30fc]{1,2})$/);
      const folds = tail !== null && /^[\u3041-\u309f]{1,2}$/.test(fold(tail[1]));
      const longer = own.filter((k) => k.length > key.length && k.includes(key));
      if ((orgName || PROGRAMME_NAME.test(written)) && !folds) return;
      const limit = nameParts.has(key) ? commonWordLimit(recs.length) + 1 : GENERIC_ALIAS_RECORDS;
      let n = 0;
      for (let j = 0; j < folded.length && n < limit; j++) {
        if (j === ri || related(rec, recs[j])) continue;
        let t = folded[j];
        if (!t.includes(key)) continue;
        for (const l of longer) t = t.split(l).join('\n');
        if (t.includes(key)) n++;
      }
      if (n >= limit || folds) out.push({ id: rec.id, index, alias, key, records: n, limit, folds });
    });
  });
  return out;
}

/**
 * The names a programme's printed name gives in brackets — a nickname or the formal name
 * (「…推進事業（SHIFT事業）」 → SHIFT事業; 「…認定制度（もにす認定制度）」 → もにす認定制度 and, without the
 * generic head 制度, もにす認定) — of {@link BRACKET_NAME_MIN} characters or more, ending like a scheme's
 * name ({@link BRACKET_SCHEME}) or in Latin letters or katakana; a qualifier (「（経営全般）」) is none. They name the record as
 * its aliases do (not listed in `aliases`: the printed name is their source).
 */
export function bracketNames(name: string): string[] {
  const out: string[] = [];
  for (const m of normalize(name).matchAll(BRACKETED)) {
    const part = m[1];
    const key = matchKey(part);
    if (!HAS_LETTER.test(key) || /[、,]/.test(part)) continue;
    if ([...key].length < BRACKET_NAME_MIN) continue;
    // a name, not a qualifier (「（経営全般）」「（個人の方）」): it ends like a scheme's name, or it is a
    // nickname in Latin letters or katakana (SHIFT事業, J-PlatPat, オレンジミーティング)
    if (!BRACKET_SCHEME.test(key) && !/[a-z]/.test(key) && !/^[\u30a1-\u30fa\u30fc]{4,}$/.test(part.trim())) continue;
    out.push(part);
    if (key.endsWith('制度') && [...key].length - 2 >= BRACKET_NAME_MIN) out.push(part.trim().replace(/制度$/, ''));
  }
  return out;
}

/** The {@link matchKey}s of a programme's {@link bracketNames} that are not its name or an alias already. */
function bracketKeysOf(rec: KnowledgeRecord): string[] {
  if (rec.kind !== 'program') return [];
  const own = new Set([rec.name, ...rec.aliases].map(matchKey));
  return [...new Set(bracketNames(rec.name).map(matchKey))].filter((k) => !own.has(k));
}

/** How the name of a scheme ends: a kind of programme ({@link PROGRAMME_KINDS}) or 制度, 事業, 保証, 税制. */
const BRACKET_SCHEME = new RegExp(`.(?:${[...PROGRAMME_KINDS, '制度', '事業', '保証', '税制'].join('|')})$`);
/** The text inside one pair of round brackets (after {@link normalize}: （） are (). */
const BRACKETED = /\(([^()]+)\)/g;
const HAS_LETTER = /\p{L}/u;
/** Shortest bracketed name (characters, {@link matchKey}ed) that names its record: 「(公設試)」 and longer. */
const BRACKET_NAME_MIN = 3;

/** The parts of a printed name split at its brackets: 「中小企業等経営強化法（経営力向上計画）」 → [中小企業等経営強化法, 経営力向上計画]. */
function namePartsOf(name: string): string[] {
  const n = normalize(name);
  return n.includes('(') ? n.split(/[()]/).filter((x) => x.trim()) : [];
}

/** Records that mention each other by name as a matter of course: parent and child, siblings, a programme and its desk. */
function related(a: KnowledgeRecord, b: KnowledgeRecord): boolean {
  const pa = 'parent' in a ? a.parent : undefined;
  const pb = 'parent' in b ? b.parent : undefined;
  if (pa === b.id || pb === a.id || (pa && pa === pb)) return true;
  if (b.kind === 'program' && b.desk.includes(a.id)) return true;
  if (a.kind === 'program' && a.desk.includes(b.id)) return true;
  return false;
}
