/**
 * The freshness report: what an operator should re-check first — the national catalogue's snapshot
 * age and its programmes whose reception period has ended, records whose fiscal year is past,
 * programmes recorded as past results, desks without a phone number, and cited sources that no
 * longer exist. Records of an open dataset are reported in their dataset's section (snapshot age),
 * not one by one for their fiscal year or missing phones. The sentences are the `freshness` wording of intents/ops.yaml.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { KnowledgeBase } from '../knowledge/load.ts';
import { locate } from '../knowledge/load.ts';
import { datasetPath } from '../knowledge/mirasapo.ts';
import { isDatasetRef } from '../knowledge/schema.ts';
import { intentsDir, phrase } from '../search/wording.ts';
import { loadOpsWording, type OpsWording } from './wording.ts';

/** Japanese fiscal year (April–March) of a date: 2026-11-21 → 2026, 2027-02-01 → 2026. */
export function fiscalYearOf(date: Date): number {
  return date.getMonth() >= 3 ? date.getFullYear() : date.getFullYear() - 1;
}

/** One thing to re-check, with where it is defined. */
export interface FreshnessItem {
  id: string;
  kind: string;
  name: string;
  detail: string;
  where: string;
}

/** The national catalogue's snapshot (an open dataset) and its records whose reception has ended. */
export interface DatasetFreshness {
  file: string;
  title: string;
  /** snapshot date YYYY-MM-DD */
  asOf: string;
  /** whole days from the snapshot to `now` */
  ageDays: number;
  /** records whose reception period ended before `now`, earliest end first */
  ended: FreshnessItem[];
}

export interface FreshnessReport {
  currentFiscalYear: number;
  /** per open dataset (knowledge/national/): snapshot age and ended reception periods */
  datasets: DatasetFreshness[];
  /** records whose fiscalYear is before the current fiscal year (status current only), oldest first */
  pastFiscalYear: FreshnessItem[];
  /** programmes with status past */
  pastPrograms: FreshnessItem[];
  /** desks with no phone number */
  desksWithoutPhone: FreshnessItem[];
  /** records citing a source file that is not in sources.yaml or not on disk */
  missingSources: FreshnessItem[];
}

/**
 * Builds the report.
 * @param seedsDir folder of the source documents
 * @param now today (for the current fiscal year)
 * @param wording the sentences (default: `freshness` of $INTENTS_DIR/ops.yaml)
 * @throws YamlFileError when the default wording file is missing or invalid
 */
export function freshnessReport(kb: KnowledgeBase, seedsDir: string, now = new Date(), wording: OpsWording['freshness'] = loadOpsWording(intentsDir()).freshness): FreshnessReport {
  const fy = fiscalYearOf(now);
  const where = (id: string) => {
    const o = kb.origin.get(id);
    if (!o) return '';
    const { line } = locate(o.parsed, [o.index]);
    return `${o.parsed.file}:${line}`;
  };
  const item = (r: KnowledgeBase['records'][number], detail: string): FreshnessItem => ({ id: r.id, kind: r.kind, name: r.name, detail, where: where(r.id) });
  const available = new Map(kb.sources.map((s) => [s.file, 'asOf' in s ? existsSync(datasetPath(kb.dir, s.path)) : existsSync(join(seedsDir, s.path))]));
  const today = now.toISOString().slice(0, 10);
  // a dataset's records carry the snapshot's fiscal year: their age is the snapshot's, reported once
  const fromDataset = (r: KnowledgeBase['records'][number]) => isDatasetRef(r.source);
  const datasets: DatasetFreshness[] = kb.sources.flatMap((s) => {
    if (!('asOf' in s)) return [];
    const ended = kb.programs
      .filter((p) => p.source.file === s.file && p.reception?.end && p.reception.end < today)
      .sort((a, b) => a.reception!.end!.localeCompare(b.reception!.end!) || a.id.localeCompare(b.id))
      .map((p) => item(p, phrase(wording.receptionEnded, { end: p.reception!.end! })));
    const ageDays = Math.floor((Date.parse(today) - Date.parse(s.asOf)) / 86_400_000);
    return [{ file: s.file, title: s.title, asOf: s.asOf, ageDays, ended }];
  });
  return {
    currentFiscalYear: fy,
    datasets,
    pastFiscalYear: kb.records
      .filter((r) => r.status === 'current' && r.fiscalYear < fy && !fromDataset(r))
      .sort((a, b) => a.fiscalYear - b.fiscalYear || a.id.localeCompare(b.id))
      .map((r) => item(r, phrase(wording.pastFiscalYear, { fiscalYear: r.fiscalYear, current: fy }))),
    pastPrograms: kb.programs.filter((p) => p.status === 'past' && !fromDataset(p)).map((p) => item(p, phrase(wording.pastProgram, { fiscalYear: p.fiscalYear }))),
    desksWithoutPhone: kb.desks.filter((d) => !d.phone && !fromDataset(d)).map((d) => item(d, wording.noPhone)),
    missingSources: kb.records
      .filter((r) => [r.source, ...(r.seeAlso ?? [])].some((s) => !available.get(s.file)))
      .map((r) => item(r, phrase(wording.missingSource, { file: r.source.file }))),
  };
}
