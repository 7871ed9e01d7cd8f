/**
 * The server run for real (child processes): live reload under concurrent requests, two instances
 * sharing one Redis, Redis restarted mid-dialogue, the rate limit, request ids and graceful shutdown.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMap, isSeq, parseDocument } from 'yaml';
import { listYamlFiles } from '../src/knowledge/load.ts';
import { loadOpsWording } from '../src/ops/wording.ts';
import { requireService, startRedis, type RedisServer } from './helpers/services.ts';
import { TEST_API_TOKEN, chat, copyCatalogue, offered, replyText, startServer, type ChatTurn, type ServerProcess } from './helpers/server-process.ts';

const TOKEN = 'test-admin-token';
const ops = loadOpsWording(join(import.meta.dirname, '..', 'intents'));

/** The next dialogue step: the first answer button of the pending question (not 戻る/わからない). */
function nextAnswer(turn: ChatTurn): { choice: string } {
  const c = offered(turn).find((o) => o.value.startsWith('slot:')) ?? offered(turn)[0];
  if (!c) throw new Error(`no choice offered: ${JSON.stringify(turn)}`);
  return { choice: c.value };
}

/** Runs one guided dialogue to its result, sending turn i to `urls[i % urls.length]`. */
async function dialogue(urls: string[], user: string, onTurn?: (i: number) => Promise<void>): Promise<ChatTurn[]> {
  const turns: ChatTurn[] = [await chat(urls[0], user, { choice: 'intent:diagnosis' })];
  for (let i = 1; turns.at(-1)!.awaiting && i < 20; i++) {
    await onTurn?.(i);
    turns.push(await chat(urls[i % urls.length], user, nextAnswer(turns.at(-1)!)));
  }
  return turns;
}

/** Polls `pred` until it returns a value (the server's log lines arrive through a pipe). */
async function waitFor<T>(pred: () => T | undefined, ms = 5000): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = pred();
    if (v !== undefined || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function admin(url: string, path: string, method = 'POST') {
  return fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${TOKEN}` } });
}

/** Edits the record `id` in the catalogue copy (`edit` gets the YAML map node; return false to delete it). */
function editRecord(knowledgeDir: string, id: string, edit: (rec: import('yaml').YAMLMap) => boolean): void {
  for (const f of listYamlFiles(knowledgeDir)) {
    const doc = parseDocument(readFileSync(f, 'utf8'));
    if (!isSeq(doc.contents)) continue;
    const i = doc.contents.items.findIndex((n) => isMap(n) && String(n.get('id')) === id);
    if (i < 0) continue;
    if (!edit(doc.contents.items[i] as import('yaml').YAMLMap)) doc.contents.items.splice(i, 1);
    writeFileSync(f, doc.toString());
    return;
  }
  throw new Error(`record ${id} not found`);
}

/** Free-text questions the catalogue answers with programmes. */
const QUESTIONS = ['設備投資の補助金はある？', 'IT導入やDXの補助金', '事業承継について知りたい', '創業の融資について教えて'];

/**
 * A programme suggested for one of QUESTIONS (from `from` on) that no other record refers to (safe to
 * rename or remove), with the question that finds it.
 */
async function standaloneProgramme(url: string, knowledgeDir: string, from = 0): Promise<{ id: string; name: string; question: string }> {
  const all = listYamlFiles(knowledgeDir).map((f) => readFileSync(f, 'utf8')).join('\n');
  const prefectural = listYamlFiles(join(knowledgeDir, 'programs')).map((f) => readFileSync(f, 'utf8')).join('\n');
  const seen: unknown[] = [];
  for (const question of [...QUESTIONS.slice(from), ...QUESTIONS.slice(0, from)]) {
    const turn = await chat(url, `probe-${Date.now()}-${Math.random()}`, question);
    // a prefectural programme (knowledge/programs/): a national one is removed by re-importing the
    // dataset, not by hand (national-overrides.yaml may name it)
    const s = turn.suggestions.find((x) => x.kind === 'program' && all.split(x.id).length === 2 && prefectural.includes(`id: ${x.id}\n`));
    if (s) return { id: s.id, name: s.name, question };
    seen.push(turn.suggestions);
  }
  throw new Error(`no standalone programme among ${JSON.stringify(seen)}`);
}

describe('live knowledge reload on a running server', () => {
  let server: ServerProcess;
  let knowledgeDir: string;
  let log: string;
  beforeAll(async () => {
    ({ knowledgeDir } = copyCatalogue());
    const { intentsDir } = copyCatalogue();
    log = join(mkdtempSync(join(tmpdir(), 'srv-log-')), 'unanswered.jsonl');
    server = await startServer({ KNOWLEDGE_DIR: knowledgeDir, INTENTS_DIR: intentsDir, ADMIN_TOKEN: TOKEN, WATCH_KNOWLEDGE: '0', RATE_LIMIT_PER_MINUTE: '5', UNANSWERED_LOG: log });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('keeps answering every request while good and broken files are reloaded; broken files leave the last good version', async () => {
    const target = await standaloneProgramme(server.url, knowledgeDir);
    const { id } = target;
    // a dialogue in progress before the swaps
    const dlg = [await chat(server.url, 'swap-user', { choice: 'intent:diagnosis' })];
    dlg.push(await chat(server.url, 'swap-user', nextAnswer(dlg[0])));

    let stop = false;
    let n = 0;
    const failures: string[] = [];
    const load = Array.from({ length: 6 }, async (_, w) => {
      while (!stop) {
        const user = `load-${w}-${n++}`; // a new user each time: the rate limit is not what this test is about
        await chat(server.url, user, QUESTIONS[n % QUESTIONS.length]).then(
          (t) => (t.replies.length ? undefined : failures.push('empty reply')),
          (e: Error) => failures.push(e.message),
        );
      }
    });

    // 1. broken: a desk reference that does not exist
    editRecord(knowledgeDir, id, (rec) => {
      rec.set('desk', ['no-such-desk']);
      return true;
    });
    const bad = await admin(server.url, '/admin/reload');
    expect(bad.status).toBe(422);
    const badBody = (await bad.json()) as { generation: number; problems: string[] };
    expect(badBody.problems).toEqual([expect.stringMatching(new RegExp(`\\.yaml:\\d+:\\d+ ${id}: unknown desk "no-such-desk"$`))]);
    const errorLog = await waitFor(() => server.logs.find((l) => l.level === 50 && /unknown desk "no-such-desk"/.test(String(l.msg))));
    expect(errorLog).toMatchObject({ file: expect.stringMatching(/\.yaml$/), line: expect.any(Number) });
    expect((await chat(server.url, 'after-bad', target.question)).suggestions.map((s) => s.id)).toContain(id);

    // 2. good: the programme renamed
    editRecord(knowledgeDir, id, (rec) => {
      rec.delete('desk');
      rec.set('name', `${target.name}（改称テスト）`);
      return true;
    });
    const good = await admin(server.url, '/admin/reload');
    expect(good.status).toBe(200);
    expect(((await good.json()) as { generation: number }).generation).toBe(badBody.generation + 1);
    const renamed = await chat(server.url, 'after-good', target.question);
    expect(renamed.suggestions.find((s) => s.id === id)?.name).toBe(`${target.name}（改称テスト）`);

    stop = true;
    await Promise.all(load);
    expect(failures).toEqual([]);
    expect(n).toBeGreaterThan(6);

    // the dialogue started before the swaps goes on to its result
    dlg.push(await chat(server.url, 'swap-user', nextAnswer(dlg.at(-1)!)));
    expect(dlg.at(-1)!.awaiting).not.toBe(dlg[0].awaiting);
    expect(replyText(dlg.at(-1)!)).not.toMatch(/うまく処理できませんでした/);
  }, 120_000);

  it('tells a user that a programme removed by a reload is no longer listed', async () => {
    const target = await standaloneProgramme(server.url, knowledgeDir, 1);
    const shown = await chat(server.url, 'gone-user', target.question);
    expect(shown.suggestions.map((s) => s.id)).toContain(target.id);
    editRecord(knowledgeDir, target.id, () => false);
    expect((await admin(server.url, '/admin/reload')).status).toBe(200);
    const detail = await chat(server.url, 'gone-user', { choice: `detail:${target.id}` });
    expect(replyText(detail)).toMatch(/掲載情報から外れました/);
    expect((await chat(server.url, 'gone-user', '設備投資の補助金は？')).replies.length).toBeGreaterThan(0);
  }, 120_000);

  it('limits each user to RATE_LIMIT_PER_MINUTE messages: 429 with Retry-After and a polite chat-turn reply', async () => {
    for (let i = 0; i < 5; i++) expect(replyText(await chat(server.url, 'busy', `創業の補助金 ${i}`))).not.toBe(ops.rateLimited);
    const res = await fetch(`${server.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_TOKEN}` }, body: JSON.stringify({ user: 'busy', text: '創業の補助金' }) });
    expect(res.status).toBe(429);
    const retry = Number(res.headers.get('retry-after'));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expect(await res.json()).toEqual({ replies: [{ type: 'text', text: ops.rateLimited }], awaiting: null, choices: [], suggestions: [] });
    expect(replyText(await chat(server.url, 'not-busy', '創業の補助金'))).not.toBe(ops.rateLimited);
  });

  it('logs JSON lines carrying the request id it echoes, and records unanswered questions', async () => {
    const res = await fetch(`${server.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'req-ops-42' }, body: JSON.stringify({ user: 'rid', text: '住宅ローンの金利を比べたい。電話090-1234-5678' }) });
    expect(res.headers.get('x-request-id')).toBe('req-ops-42');
    const own = await fetch(`${server.url}/healthz`);
    expect(own.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await waitFor(() => server.logs.find((l) => (l.req as { id?: string } | undefined)?.id === 'req-ops-42'))).toMatchObject({ res: { statusCode: 200 }, responseTime: expect.any(Number) });
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { channel: string; reason: string; text: string });
    const entry = lines.find((l) => l.text.includes('住宅ローン'));
    expect(entry).toMatchObject({ channel: 'web', reason: 'unanswered' });
    expect(entry!.text).toContain('＜電話番号＞');
  });

  it('turns the admin endpoints away without the token', async () => {
    expect((await fetch(`${server.url}/admin/reload`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`${server.url}/admin/reload`, { method: 'POST', headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await admin(server.url, '/admin/status', 'GET')).status).toBe(200);
  });

  it('finishes in-flight requests on SIGTERM and exits 0', async () => {
    const inflight = Array.from({ length: 12 }, (_, i) => chat(server.url, `term-${i}`, QUESTIONS[i % QUESTIONS.length].repeat(5)).then(() => 'ok', (e: Error) => e.message));
    await new Promise((r) => setTimeout(r, 50));
    server.proc.kill('SIGTERM');
    const results = await Promise.all(inflight);
    expect(await server.exited).toBe(0);
    // a request is either answered in full or refused at connect time, never cut off or failed mid-way
    expect(results.filter((r) => r !== 'ok' && !/fetch failed/.test(r))).toEqual([]);
    expect(results.filter((r) => r === 'ok').length).toBeGreaterThan(0);
    expect(await waitFor(() => server.logs.find((l) => l.msg === 'shutdown complete'))).toBeDefined();
  }, 60_000);
});

const haveRedis = requireService('redis-server', 'apt-get install -y redis-server');

describe.runIf(haveRedis)('two instances sharing one Redis', () => {
  let redis: RedisServer;
  let a: ServerProcess;
  let b: ServerProcess;
  beforeAll(async () => {
    redis = await startRedis();
    const env = { REDIS_URL: redis.url, WATCH_KNOWLEDGE: '0', UNANSWERED_LOG: join(mkdtempSync(join(tmpdir(), 'u-')), 'u.jsonl') };
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
  }, 180_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
  });

  it('completes one dialogue with turns alternating between the instances', async () => {
    const turns = await dialogue([a.url, b.url], 'alternating');
    expect(turns.length).toBeGreaterThan(3);
    expect(turns.at(-1)!.awaiting).toBeNull();
    // each answer was taken: the questions asked never repeat
    const asked = turns.map((t) => t.awaiting).filter(Boolean);
    expect(new Set(asked).size).toBe(asked.length);
    expect(turns.at(-1)!.suggestions.length + turns.at(-1)!.replies.filter((r) => r.type === 'cards').length).toBeGreaterThan(0);
  }, 60_000);

  it('keeps answering while Redis is down, says the place was lost, and recovers when Redis returns', async () => {
    const user = 'restart-user';
    const first = [await chat(a.url, user, { choice: 'intent:diagnosis' })];
    first.push(await chat(b.url, user, nextAnswer(first[0])));
    expect(first[1].awaiting).not.toBe(first[0].awaiting);

    await redis.stop();
    const during = await chat(a.url, user, nextAnswer(first[1]));
    expect(replyText(during)).toContain(ops.storeUnavailable);
    const answers = await Promise.all(QUESTIONS.map((q) => chat(b.url, user, q)));
    for (const t of answers) expect(replyText(t)).toContain(ops.storeUnavailable);
    expect(answers.some((t) => t.suggestions.length > 0)).toBe(true); // free-text questions are still answered
    expect((await fetch(`${a.url}/readyz`)).status).toBe(503);
    expect((await fetch(`${a.url}/healthz`)).status).toBe(200);

    await redis.restart();
    for (const s of [a, b]) {
      const deadline = Date.now() + 20_000;
      while ((await fetch(`${s.url}/readyz`)).status !== 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
    }
    const again = await dialogue([b.url, a.url], user);
    expect(again.at(-1)!.awaiting).toBeNull();
    expect(again.every((t) => !replyText(t).includes(ops.storeUnavailable))).toBe(true);
    expect(a.proc.exitCode).toBeNull();
    expect(b.proc.exitCode).toBeNull();
  }, 90_000);
});
