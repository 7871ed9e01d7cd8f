/**
 * Desk routing: the local 商工会議所/商工会 for a 市町 and locality, and the specialised desk for a
 * purpose. Everything comes from the knowledge: area records (`localities[].desk`, `desks`,
 * `defaultDesk`), desk `covers` (004 L27: 阿知須・秋穂・阿東 → 山口県央商工会, 徳地 → 徳地商工会),
 * desk `address` (a locality printed in a 商工会's address, 001 L3390-3426) and desk `purposes`.
 */
import type { KnowledgeBase } from '../knowledge/load.ts';
import type { Area, Desk, Purpose } from '../knowledge/schema.ts';
import { matchKey } from '../text/normalize.ts';

/** Desk types that are a business's local 商工団体. */
export const LOCAL_DESK_TYPES: readonly string[] = ['商工会議所', '商工会'];

function isLocal(d: Desk): boolean {
  return LOCAL_DESK_TYPES.includes(d.deskType);
}

/** The area record of a 市町 by name or alias (「周南市」, also 「周南」); undefined when unknown. */
export function findArea(kb: KnowledgeBase, municipality: string | null | undefined): Area | undefined {
  if (!municipality) return undefined;
  const key = matchKey(municipality);
  if (!key) return undefined;
  const names = (a: Area) => [a.name, ...a.aliases].map(matchKey);
  return (
    kb.areas.find((a) => names(a).includes(key)) ??
    kb.areas.find((a) => names(a).some((n) => n.replace(/[市町]$/, '') === key.replace(/[市町]$/, '')))
  );
}

/** Every 商工会議所/商工会 serving a 市町: listed in the area, located there, or covering it. */
export function deskCandidates(kb: KnowledgeBase, municipality: string): Desk[] {
  const area = findArea(kb, municipality);
  const name = area?.name ?? municipality;
  const out: Desk[] = [];
  const add = (d: Desk | undefined) => {
    if (d && isLocal(d) && !out.includes(d)) out.push(d);
  };
  if (area?.defaultDesk) add(kb.byId.get(area.defaultDesk) as Desk | undefined);
  for (const id of area?.desks ?? []) {
    const d = kb.byId.get(id);
    if (d?.kind === 'desk') add(d);
  }
  for (const d of kb.desks) {
    if (d.municipality === name || d.covers?.some((c) => c.municipality === name)) add(d);
  }
  return out;
}

/** The locality names a user can pick for a 市町 (area localities and desk `covers`), in data order. */
export function localityNames(kb: KnowledgeBase, municipality: string): string[] {
  const area = findArea(kb, municipality);
  const names: string[] = [];
  for (const l of area?.localities ?? []) if (!names.includes(l.name)) names.push(l.name);
  for (const d of deskCandidates(kb, municipality)) {
    for (const c of d.covers ?? []) {
      if (c.municipality !== (area?.name ?? municipality)) continue;
      for (const l of c.localities ?? []) if (!names.includes(l)) names.push(l);
    }
  }
  return names;
}

/** Whether the dialogue must ask for the area: more than one 商工会議所/商工会 serves the 市町. */
export function needsArea(kb: KnowledgeBase, municipality: string | null | undefined): boolean {
  return !!municipality && deskCandidates(kb, municipality).length > 1;
}

/** Result of {@link localDesks}. */
export interface LocalDesks {
  /** the 市町 as named in the knowledge, or the input when unknown */
  municipality: string;
  /** candidates, the desk decided by the area first */
  desks: Desk[];
  /** the desk the area decides, when it does */
  decided: Desk | null;
  /** how it was decided: 'locality' | 'covers' | 'address' | 'only' | null */
  decidedBy: 'locality' | 'covers' | 'address' | 'only' | null;
}

const overlaps = (a: string, b: string) => a.length > 0 && b.length > 0 && (a.includes(b) || b.includes(a));

/**
 * The local 商工会議所/商工会 for a 市町 and, optionally, a locality (「阿知須」「周南市熊毛」「須々万」).
 * Order of evidence: a locality of the area record, a desk's `covers`, a locality printed in a desk's
 * address. With one candidate only, that one is decided. Never throws; unknown 市町 → empty list.
 */
export function localDesks(kb: KnowledgeBase, municipality: string, area?: string | null): LocalDesks {
  const rec = findArea(kb, municipality);
  const name = rec?.name ?? municipality;
  const desks = deskCandidates(kb, name);
  let decided: Desk | null = null;
  let decidedBy: LocalDesks['decidedBy'] = null;
  const a = matchKey(area ?? '').replace(new RegExp(`^${escapeRe(matchKey(name))}`), '');
  if (a) {
    for (const l of rec?.localities ?? []) {
      if (!l.desk) continue;
      if ([l.name, ...(l.aliases ?? [])].map(matchKey).some((n) => overlaps(a, n))) {
        const d = kb.byId.get(l.desk);
        if (d?.kind === 'desk') {
          decided = d;
          decidedBy = 'locality';
          break;
        }
      }
    }
    if (!decided) {
      decided = desks.find((d) => d.covers?.some((c) => c.municipality === name && (c.localities ?? []).map(matchKey).some((n) => overlaps(a, n)))) ?? null;
      if (decided) decidedBy = 'covers';
    }
    if (!decided) {
      decided = desks.find((d) => d.address && matchKey(d.address).includes(a)) ?? null;
      if (decided) decidedBy = 'address';
    }
  }
  if (!decided && desks.length === 1) {
    decided = desks[0];
    decidedBy = 'only';
  }
  const ordered = decided ? [decided, ...desks.filter((d) => d !== decided)] : desks;
  return { municipality: name, desks: ordered, decided, decidedBy };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Desks specialised in a purpose (desk `purposes`), most specialised first (fewest purposes), local
 * 商工団体 excluded, a 市町 office only for businesses of that 市町. E.g. 事業承継 → 事業承継・引継ぎ支援センター, 経営改善・再生 → 中小企業活性化協議会.
 */
export function specialisedDesks(kb: KnowledgeBase, purpose: Purpose | null | undefined, municipality?: string | null, limit = 2): Desk[] {
  if (!purpose) return [];
  // a 市町's own office serves only businesses of that 市町
  const here = (d: Desk) => d.deskType !== '市町' || (!!municipality && d.municipality === findArea(kb, municipality)?.name);
  return kb.desks
    .filter((d) => !isLocal(d) && d.status !== 'historical' && d.purposes?.includes(purpose) && here(d))
    .sort((x, y) => (x.purposes?.length ?? 0) - (y.purposes?.length ?? 0))
    .slice(0, limit);
}

/** A 市町 (and locality) named in a text: the longest area name/alias, or a locality name. */
export function findPlace(kb: KnowledgeBase, text: string): { municipality: string; area: string | null } | null {
  const key = matchKey(text);
  if (!key) return null;
  let best: { area: Area; at: number; len: number } | null = null;
  for (const a of kb.areas) {
    for (const n of [a.name, ...a.aliases]) {
      const k = matchKey(n);
      const at = k ? key.indexOf(k) : -1;
      if (at >= 0 && (!best || k.length > best.len)) best = { area: a, at, len: k.length };
    }
  }
  if (best) {
    const rest = key.slice(best.at + best.len);
    const loc = localityIn(kb, best.area.name, rest) ?? localityIn(kb, best.area.name, key);
    return { municipality: best.area.name, area: loc ?? leadingPlace(rest) };
  }
  // a locality alone (「阿知須で飲食店」) names its 市町 when only one 市町 has it
  const hits = new Set<string>();
  let found: string | null = null;
  for (const a of kb.areas) {
    const loc = localityIn(kb, a.name, key);
    if (loc) {
      hits.add(a.name);
      found = loc;
    }
  }
  if (hits.size === 1 && found) return { municipality: [...hits][0], area: found };
  return null;
}

/** A known locality of the 市町 occurring in `key`. */
function localityIn(kb: KnowledgeBase, municipality: string, key: string): string | null {
  const rec = findArea(kb, municipality);
  for (const l of rec?.localities ?? []) {
    for (const n of [l.name, ...(l.aliases ?? [])]) if (matchKey(n) && key.includes(matchKey(n))) return l.name;
  }
  for (const n of localityNames(kb, municipality)) if (matchKey(n) && key.includes(matchKey(n))) return n;
  return null;
}

/** The place name right after a 市町 (「周南市須々万で…」 → 須々万): kanji up to a particle. */
function leadingPlace(rest: string): string | null {
  const m = rest.match(/^([\u4e00-\u9fff々ヶ]{2,6}?)(?:町|地区|地域)?(?:で|に|の|から|在住|、|。|$)/);
  return m && !/^(在住|在勤|市内|町内|周辺|近郊|全域|地元)/.test(m[1]) ? m[1] : null;
}
