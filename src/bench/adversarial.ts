/**
 * Bench section `adversarial` (issue #9): the cost of crafted inputs.
 *  1. worst / p99 / p50 turn time over a fixed corpus — digit runs of 20–400 digits in every width
 *     (ASCII, full-width, ①) and separator (none, zero-width, control character, space, comma after
 *     every digit, thousands separators), with and without a unit after them; 2,000-character pastes
 *     of kana, kanji, punctuation, `~`, place names and programme names — through the engine
 *     (in process, wall and CPU time per turn) and through POST /api/chat (one server, sequential);
 *  2. POST /api/chat under a mixed load at 50 users on one instance — 90 % everyday questions, 10 %
 *     long pastes — beside the same load of short questions only (autocannon, loopback,
 *     BENCH_HTTP_SECONDS per run, default 10).
 * Targets (issue #9): worst turn ≤ 50 ms; mixed load ≥ 1,000 requests/s with p99 < 100 ms.
 */
import autocannon from 'autocannon';
import { createEngine } from '../dialogue/engine.ts';
import { MemoryConversationStore } from '../dialogue/memory-store.ts';
import { loadKnowledgeOrThrow } from '../knowledge/load.ts';
import { createSearchService } from '../search/service.ts';
import { percentile, type BenchSection, type Measurement } from './section.ts';
import { startServer, TEST_API_TOKEN } from './server-process.ts';

const USERS = 50;
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const ENV = { RATE_LIMIT_PER_MINUTE: '1000000', RATE_LIMIT_IP_PER_MINUTE: '100000000', MAX_CONCURRENT_REQUESTS: '1000', WATCH_KNOWLEDGE: '0', LOG_LEVEL: 'warn', UNANSWERED_LOG: '/dev/null' };
const QUESTIONS = ['設備投資に使える補助金はある？', '事業承継の相談先は？', '創業の融資について教えて', 'IT導入やDXの補助金', '省エネ設備の支援', '海外展開の相談'];

/** The crafted corpus: [label, text]. `names` are place and programme names to paste. */
export function adversarialCorpus(places: string[], programmes: string[]): [string, string][] {
  const out: [string, string][] = [];
  const widths: [string, (d: string) => string][] = [
    ['ascii', (d) => d],
    ['fullwidth', (d) => String.fromCharCode(0xff10 + Number(d))],
    ['circled', (d) => (d === '0' ? '⓪' : String.fromCharCode(0x2460 + Number(d) - 1))],
  ];
  const seps: [string, (ds: string[]) => string][] = [
    ['none', (ds) => ds.join('')],
    ['zero-width', (ds) => ds.join('\u200b')],
    ['control', (ds) => ds.join('\u0007')],
    ['space', (ds) => ds.join(' ')],
    ['comma', (ds) => ds.join(',')],
    ['thousands', (ds) => ds.map((d, i) => ((ds.length - i) % 3 === 0 && i ? `,${d}` : d)).join('')],
  ];
  for (const n of [20, 24, 26, 30, 35, 50, 100, 200, 400]) {
    const digits = Array.from({ length: n }, (_, i) => String((i * 7 + 1) % 10));
    for (const [w, f] of widths) {
      for (const [sl, join] of seps) {
        for (const unit of ['', '円', '人']) out.push([`digits ${n} ${w} ${sl}${unit ? ` +${unit}` : ''}`, join(digits.map(f)) + unit]);
      }
    }
  }
  const paste = (unit: string) => unit.repeat(Math.ceil(2000 / unit.length)).slice(0, 2000);
  const units: [string, string][] = [
    ['hiragana', 'あ'], ['katakana', 'ア'], ['half-width kana', 'ｱ'], ['long vowel', 'ー'], ['kanji', '補'], ['kanji word', '補助金'],
    ['punctuation', '、。！？'], ['tilde', '~'], ['wave dash', '〜'], ['latin', 'x'], ['latin words', 'subsidy '], ['emoji', '😀'],
    ['sentences', '設備投資に使える補助金はありますか。'], ['no punctuation', '設備投資に使える補助金を探しています'],
    ['place names', places.join('')], ['programme names', programmes.join('')], ['places and programmes', places.map((p, i) => p + (programmes[i] ?? '')).join('')],
  ];
  for (const [label, unit] of units) if (unit) out.push([`paste 2000 ${label}`, paste(unit)]);
  return out;
}

async function engineTimes(corpus: [string, string][]): Promise<{ wall: number[]; cpu: number[]; worst: string }> {
  const kb = loadKnowledgeOrThrow();
  const store = new MemoryConversationStore({ sweepMs: 0 });
  const engine = await createEngine({ search: await createSearchService(kb, { index: 'memory' }), store });
  // as the server does before it serves (src/ops/generation.ts)
  await engine.warmUp();
  for (const q of QUESTIONS) await engine.handle('warm', { type: 'text', text: q });
  const wall: number[] = [];
  const cpu: number[] = [];
  let worst = '';
  let worstMs = -1;
  let i = 0;
  for (const [label, text] of corpus) {
    // as a new message and as the answer to a pending question (the dialogue reads it too)
    for (const user of [`adv-${i++}`, 'adv-dialogue']) {
      if (user === 'adv-dialogue') await engine.handle(user, { type: 'text', text: '診断' });
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await engine.handle(user, { type: 'text', text });
      const ms = performance.now() - t0;
      const c = process.cpuUsage(c0);
      wall.push(ms);
      cpu.push((c.user + c.system) / 1000);
      if (ms > worstMs) [worstMs, worst] = [ms, label];
    }
  }
  await store.close();
  return { wall, cpu, worst };
}

async function httpTimes(url: string, corpus: [string, string][]): Promise<{ ms: number[]; worst: string; non200: number }> {
  const ms: number[] = [];
  let worst = '';
  let worstMs = -1;
  let non200 = 0;
  let i = 0;
  for (const [label, text] of corpus) {
    const t0 = performance.now();
    const res = await fetch(`${url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_TOKEN}` }, body: JSON.stringify({ user: `adv-${i++}`, text }) });
    await res.arrayBuffer();
    const t = performance.now() - t0;
    if (res.status !== 200) non200++;
    ms.push(t);
    if (t > worstMs) [worstMs, worst] = [t, label];
  }
  return { ms, worst, non200 };
}

async function load(url: string, pastes: string[], pasteShare: number) {
  let user = 0;
  const result = await autocannon({
    url,
    connections: USERS,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        path: '/api/chat',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_TOKEN}` },
        setupRequest: (req: Record<string, unknown>, context: Record<string, unknown>) => {
          context.user ??= `mix-${user++}`;
          const n = ((context.n as number | undefined) ?? 0) + 1;
          context.n = n;
          const paste = pasteShare > 0 && n % Math.round(1 / pasteShare) === 0;
          const text = paste ? pastes[n % pastes.length] : QUESTIONS[n % QUESTIONS.length];
          return { ...req, body: JSON.stringify({ user: context.user, text }) };
        },
      },
    ],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, bad: result.errors + result.timeouts + result.non2xx };
}

const round = (x: number) => Math.round(x * 10) / 10;

export const sections: BenchSection[] = [
  {
    name: 'adversarial: crafted inputs through the engine and POST /api/chat; mixed load at 50 users',
    async run() {
      const kb = loadKnowledgeOrThrow();
      const places = [...new Set(kb.areas.flatMap((a) => [a.name, ...a.localities.map((l) => l.name)]))].slice(0, 60);
      const programmes = kb.records.filter((r) => r.kind === 'program').map((r) => r.name).slice(0, 60);
      const corpus = adversarialCorpus(places, programmes);
      const out: Measurement[] = [];
      const e = await engineTimes(corpus);
      out.push(
        { name: `engine: ${e.wall.length} crafted turns, worst`, value: round(Math.max(...e.wall)), unit: 'ms', target: '≤ 50 ms' },
        { name: 'engine: crafted turns, p99', value: round(percentile(e.wall, 99)), unit: 'ms' },
        { name: 'engine: crafted turns, p50', value: round(percentile(e.wall, 50)), unit: 'ms' },
        { name: 'engine: crafted turns, worst CPU', value: round(Math.max(...e.cpu)), unit: 'ms', target: '≤ 50 ms' },
      );
      process.stdout.write(`(slowest engine input: ${e.worst})\n`);
      const server = await startServer(ENV);
      try {
        await httpTimes(server.url, corpus.slice(0, 20)); // warm-up
        const h = await httpTimes(server.url, corpus);
        out.push(
          { name: `/api/chat: ${h.ms.length} crafted requests, worst`, value: round(Math.max(...h.ms)), unit: 'ms', target: '≤ 50 ms' },
          { name: '/api/chat: crafted requests, p99', value: round(percentile(h.ms, 99)), unit: 'ms' },
        );
        if (h.non200) out.push({ name: '/api/chat: crafted requests not 200', value: h.non200, unit: 'responses', target: '0' });
        process.stdout.write(`(slowest /api/chat input: ${h.worst})\n`);
        const pastes = corpus.filter(([l]) => l.startsWith('paste')).map(([, t]) => t);
        await load(server.url, pastes, 0); // warm-up
        const short = await load(server.url, pastes, 0);
        const mixed = await load(server.url, pastes, 0.1);
        out.push(
          { name: `${USERS} users, short questions: throughput`, value: short.rps, unit: 'req/s' },
          { name: `${USERS} users, short questions: p99`, value: short.p99, unit: 'ms' },
          { name: `${USERS} users, 90 % questions + 10 % pastes: throughput`, value: mixed.rps, unit: 'req/s', target: '≥ 1000 req/s' },
          { name: `${USERS} users, 90 % questions + 10 % pastes: p50`, value: mixed.p50, unit: 'ms' },
          { name: `${USERS} users, 90 % questions + 10 % pastes: p99`, value: mixed.p99, unit: 'ms', target: '< 100 ms' },
        );
        if (short.bad + mixed.bad) out.push({ name: 'load: errors + non-2xx', value: short.bad + mixed.bad, unit: 'responses', target: '0' });
      } finally {
        await server.stop();
      }
      return out;
    },
  },
];
