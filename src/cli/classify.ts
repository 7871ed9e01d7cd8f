/**
 * `npm run --silent cli -- classify --industry <text> --employees <n> [--capital <円>] [--json]`
 * Classifies a business under the 中小企業基本法 (src/eligibility/classify.ts).
 * --json prints {"sme","smallEnterprise","industryGroup","basis","reasons"}; `--capital` accepts
 * 「50000000」「5千万円」「3億」. Exit 2 on a usage error.
 */
import { parseArgs } from 'node:util';
import { classify } from '../eligibility/classify.ts';
import { loadKnowledgeOrThrow } from '../knowledge/load.ts';
import { findQuantities } from '../text/normalize.ts';

/** Reads an amount of 円: a plain number or 「5千万円」「3億」. Null when unreadable. */
export function readYen(text: string): number | null {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  return findQuantities(t).find((q) => q.unit === '円')?.value ?? null;
}

export async function run(argv: string[]): Promise<number> {
  let values: { industry?: string; employees?: string; capital?: string; json?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { industry: { type: 'string' }, employees: { type: 'string' }, capital: { type: 'string' }, json: { type: 'boolean', default: false } },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\nusage: classify --industry <text> --employees <n> [--capital <円>] [--json]\n`);
    return 2;
  }
  const employees = values.employees !== undefined ? Number(values.employees.normalize('NFKC').replace(/[人名,\s]/g, '')) : NaN;
  if (!values.industry || !Number.isInteger(employees) || employees < 0) {
    process.stderr.write('usage: classify --industry <text> --employees <n> [--capital <円>] [--json] (employees: a whole number of people)\n');
    return 2;
  }
  const capital = values.capital !== undefined ? readYen(values.capital) : null;
  if (values.capital !== undefined && capital === null) {
    process.stderr.write(`--capital: cannot read "${values.capital}" as an amount of 円 (e.g. 50000000, 5千万円, 3億)\n`);
    return 2;
  }
  const kb = loadKnowledgeOrThrow(process.env.KNOWLEDGE_DIR);
  const c = classify(kb, { industry: values.industry, employees, capital });
  if (values.json) {
    process.stdout.write(JSON.stringify({ sme: c.sme, smallEnterprise: c.smallEnterprise, industryGroup: c.industryGroup, basis: c.basis, reasons: c.reasons }) + '\n');
  } else {
    const yes = (b: boolean | null) => (b === true ? '該当' : b === false ? '非該当' : '判定できません');
    process.stdout.write(`${c.basis}: 中小企業者 ${yes(c.sme)} / 小規模企業者 ${yes(c.smallEnterprise)}（区分: ${c.industryGroup ?? '不明'}）\n${c.reasons.map((r) => `・${r}`).join('\n')}\n`);
  }
  return 0;
}
