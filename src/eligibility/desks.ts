/**
 * Desk routing: the local 商工会議所/商工会 for a 市町 and locality, and the specialised desk for a
 * purpose. Everything comes from the knowledge: area records (`localities[].desk`, `desks`,
 * `defaultDesk`), desk `covers` (004 L27: 阿知須・秋穂・阿東 → 山口県央商工会, 徳地 → 徳地商工会),
 * desk `address` (a locality printed in a 商工会's address, 001 L3390-3426) and desk `purposes`.
 */
import type { KnowledgeBase } from '../knowledge/load.ts';
import type { Area, Desk, Purpose } from '../knowledge/schema.ts';
import { Gazetteer } from '../text/gazetteer.ts';
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

/**
 * The place names of the knowledge as a gazetteer (src/text/gazetteer.ts, the search's name finder):
 * 市町 with their aliases and localities, plus the localities printed in desk `covers`
 * (004 L27 阿知須・秋穂・阿東). Built once per knowledge base.
 */
const placeGazetteers = new WeakMap<KnowledgeBase, Gazetteer>();
function placeGazetteer(kb: KnowledgeBase): Gazetteer {
  let g = placeGazetteers.get(kb);
  if (!g) {
    const areas = kb.areas.map((a) => {
      const known = new Set(a.localities.flatMap((l) => [l.name, ...(l.aliases ?? [])]));
      const covered = localityNames(kb, a.name).filter((n) => !known.has(n)).map((name) => ({ name }));
      return { ...a, localities: [...a.localities, ...covered] };
    });
    g = new Gazetteer({ records: [], areas });
    placeGazetteers.set(kb, g);
  }
  return g;
}

/**
 * A 市町 (and locality) named in a text, found by the gazetteer: the first 市町 named (「山口県」 is
 * not 山口市) with a locality of it named anywhere, else the place name right after it
 * (「周南市須々万で」 → 須々万); or a locality alone when only one 市町 has it (「阿知須で飲食店」).
 * null when no place is named. Never throws.
 */
export function findPlace(kb: KnowledgeBase, text: string): { municipality: string; area: string | null } | null {
  const key = matchKey(text);
  if (!key) return null;
  const found = placeGazetteer(kb).recognise(key);
  const named = found.municipalities.find((m) => !m.viaLocality);
  if (named) {
    const loc = found.localities.find((l) => l.areaId === named.id);
    return { municipality: named.name, area: loc?.name ?? leadingPlace(key.slice(named.end)) };
  }
  const towns = new Set(found.localities.map((l) => l.areaId));
  return towns.size === 1 ? { municipality: found.localities[0].municipality, area: found.localities[0].name } : null;
}

/** The place name right after a 市町 (「周南市須々万で…」 → 須々万): kanji up to a particle. */
function leadingPlace(rest: string): string | null {
  const m = rest.match(/^([\u4e00-\u9fff々ヶ]{2,6}?)(?:町|地区|地域)?(?:で|に|の|から|在住|、|。|$)/);
  return m && !/^(在住|在勤|市内|町内|周辺|近郊|全域|地元)/.test(m[1]) ? m[1] : null;
}
