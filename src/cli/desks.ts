/**
 * `npm run --silent cli -- desks --municipality <市町> [--area <地域>] [--json]`
 * The local 商工会議所/商工会 for a 市町 (src/eligibility/desks.ts), the one the area decides first.
 * --json prints [{"id","name","phone","address"}]. Exit 1 when the 市町 is unknown, 2 on a usage error.
 */
import { parseArgs } from 'node:util';
import { localDesks } from '../eligibility/desks.ts';
import { loadKnowledgeOrThrow } from '../knowledge/load.ts';

export async function run(argv: string[]): Promise<number> {
  let values: { municipality?: string; area?: string; json?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { municipality: { type: 'string' }, area: { type: 'string' }, json: { type: 'boolean', default: false } }, strict: true }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\nusage: desks --municipality <市町> [--area <地域>] [--json]\n`);
    return 2;
  }
  if (!values.municipality) {
    process.stderr.write('usage: desks --municipality <市町> [--area <地域>] [--json]\n');
    return 2;
  }
  const kb = loadKnowledgeOrThrow(process.env.KNOWLEDGE_DIR);
  const r = localDesks(kb, values.municipality, values.area ?? null);
  const rows = r.desks.map((d) => ({ id: d.id, name: d.name, phone: d.phone ?? null, address: d.address ?? null }));
  if (values.json) process.stdout.write(JSON.stringify(rows) + '\n');
  else if (!rows.length) process.stdout.write(`「${values.municipality}」の商工会議所・商工会は見つかりませんでした。\n`);
  else {
    if (r.decided && values.area) process.stdout.write(`${r.municipality}${values.area} → ${r.decided.name}\n`);
    for (const d of rows) process.stdout.write(`${d.name}\t${d.phone ?? '-'}\t${d.address ?? '-'}\n`);
  }
  return rows.length ? 0 : 1;
}
