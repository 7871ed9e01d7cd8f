/**
 * `ask "<question>" [--json] [--top N]` and `ask --batch <file.jsonl> --json`.
 *
 * --json prints `{"query", "answered", "results": [{"id", "kind", "name", "score", "source"}], "reply"}`,
 * results best first (`--top N`, default 5). --batch reads lines `{"id", "q"}` and prints one line
 * per input line `{"id", "answered", "results"}` (a line that is not such JSON gets
 * `{"id": null, "answered": false, "results": [], "error": "<why>"}`); the dictionary loads once.
 * Exit status: 0, or 2 on a usage error (message on stderr).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeOrThrow } from '../knowledge/load.ts';
import { sourceRef } from '../search/answer.ts';
import { createSearchService, type SearchResponse } from '../search/service.ts';

const USAGE = 'usage: ask "<question>" [--json] [--top N] | ask --batch <file.jsonl> --json';

/**
 * The `results` array of the JSON contract. `score` rounded to 4 decimals; `source` is where the
 * record is printed (「001 L1530-1531」), for staff (cards shown to business owners do not carry it).
 */
export function resultsJson(res: SearchResponse, hits = res.hits): { id: string; kind: string; name: string; score: number; source: string }[] {
  return hits.map((h) => ({ id: h.record.id, kind: h.record.kind, name: h.record.name, score: Math.round(h.score * 1e4) / 1e4, source: sourceRef(h.record) }));
}

/** `related` of a not-found answer (possibly related records, not results), when it has any. */
function relatedJson(res: SearchResponse): { related?: ReturnType<typeof resultsJson> } {
  return res.related?.length ? { related: resultsJson(res, res.related) } : {};
}

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        top: { type: 'string' },
        batch: { type: 'string' },
        dir: { type: 'string' },
      },
    });
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const top = values.top === undefined ? 5 : Number(values.top);
  if (!Number.isInteger(top) || top < 1 || top > 50) {
    process.stderr.write(`--top must be an integer from 1 to 50\n${USAGE}\n`);
    return 2;
  }
  const question = positionals.join(' ');
  if (!values.batch && positionals.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let lines: string[] = [];
  if (values.batch) {
    try {
      lines = readFileSync(values.batch, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
    } catch (err) {
      process.stderr.write(`cannot read ${values.batch}: ${err instanceof Error ? err.message : String(err)}\n`);
      return 2;
    }
  }
  const kb = loadKnowledgeOrThrow(values.dir ?? process.env.KNOWLEDGE_DIR ?? DEFAULT_KNOWLEDGE_DIR);
  const service = await createSearchService(kb);

  if (values.batch) {
    const out: string[] = [];
    for (const line of lines) {
      let item: { id?: unknown; q?: unknown };
      try {
        item = JSON.parse(line) as { id?: unknown; q?: unknown };
      } catch {
        out.push(JSON.stringify({ id: null, answered: false, results: [], error: 'not JSON' }));
        continue;
      }
      const id = item && typeof item === 'object' ? (item.id ?? null) : null;
      if (!item || typeof item !== 'object' || typeof item.q !== 'string') {
        out.push(JSON.stringify({ id, answered: false, results: [], error: 'missing "q"' }));
        continue;
      }
      const res = service.search(item.q, { top });
      if (values.json) out.push(JSON.stringify({ id, answered: res.answered, results: resultsJson(res), ...relatedJson(res) }));
      else out.push(`${String(id)}\t${res.answered ? 'answered' : 'not found'}\t${res.hits[0]?.record.name ?? ''}`);
    }
    process.stdout.write(out.length ? out.join('\n') + '\n' : '');
    return 0;
  }

  const res = service.search(question, { top });
  if (values.json) {
    process.stdout.write(JSON.stringify({ query: res.query, answered: res.answered, results: resultsJson(res), ...relatedJson(res), reply: res.reply }) + '\n');
  } else process.stdout.write(res.reply + '\n');
  return 0;
}
