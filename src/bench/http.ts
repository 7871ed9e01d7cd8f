/**
 * Bench section `http`: POST /api/chat throughput and latency with 50 concurrent users (autocannon,
 * loopback only, 10 s per run — BENCH_HTTP_SECONDS overrides), against
 *  1. one instance with the in-memory store;
 *  2. two instances sharing one Redis (connections split between them, as behind a proxy) —
 *     skipped with a note when redis-server is not installed.
 * Each connection is one user (its own user key) asking a rotation of free-text questions. The
 * per-user rate limit is lifted for the run (it would otherwise answer most requests).
 */
import autocannon from 'autocannon';
import { startRedis, hasCommand } from '../../test/helpers/services.ts';
import type { BenchSection, Measurement } from './section.ts';
import { startServer, TEST_API_TOKEN, type ServerProcess } from './server-process.ts';

const USERS = 50;
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const QUESTIONS = ['設備投資に使える補助金はある？', '事業承継の相談先は？', '創業の融資について教えて', 'IT導入やDXの補助金', '省エネ設備の支援', '海外展開の相談'];
const ENV = { RATE_LIMIT_PER_MINUTE: '1000000', WATCH_KNOWLEDGE: '0', LOG_LEVEL: 'warn', UNANSWERED_LOG: '/dev/null' };

interface Run {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function load(urls: string[]): Promise<Run> {
  let user = 0;
  const result = await autocannon({
    url: urls,
    connections: USERS,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        path: '/api/chat',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_TOKEN}` },
        setupRequest: (req: Record<string, unknown>, context: Record<string, unknown>) => {
          context.user ??= `bench-${user++}`;
          context.n = ((context.n as number | undefined) ?? 0) + 1;
          return { ...req, body: JSON.stringify({ user: context.user, text: QUESTIONS[(context.n as number) % QUESTIONS.length] }) };
        },
      },
    ],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts, non2xx: result.non2xx };
}

function report(label: string, r: Run): Measurement[] {
  const out: Measurement[] = [
    { name: `${label}: throughput`, value: r.rps, unit: 'req/s' },
    { name: `${label}: latency p50`, value: r.p50, unit: 'ms' },
    { name: `${label}: latency p99`, value: r.p99, unit: 'ms', target: '≤ 2000 ms' },
  ];
  if (r.errors || r.non2xx) out.push({ name: `${label}: errors + non-2xx`, value: r.errors + r.non2xx, unit: 'responses', target: '0' });
  return out;
}

async function stopAll(servers: (ServerProcess | undefined)[]): Promise<void> {
  await Promise.all(servers.map((s) => s?.stop()));
}

export const sections: BenchSection[] = [
  {
    name: `http: POST /api/chat, ${USERS} concurrent users, ${SECONDS} s per run (autocannon, loopback)`,
    async run() {
      const out: Measurement[] = [];
      const one = await startServer(ENV);
      try {
        await load([one.url]); // warm-up: JIT, caches
        out.push(...report('1 instance, memory store', await load([one.url])));
      } finally {
        await stopAll([one]);
      }
      if (!hasCommand('redis-server')) {
        process.stdout.write('(2 instances + Redis skipped: redis-server not installed)\n');
        return out;
      }
      const redis = await startRedis();
      let a: ServerProcess | undefined;
      let b: ServerProcess | undefined;
      try {
        [a, b] = await Promise.all([startServer({ ...ENV, REDIS_URL: redis.url }), startServer({ ...ENV, REDIS_URL: redis.url })]);
        await load([a.url, b.url]);
        out.push(...report('2 instances, shared Redis', await load([a.url, b.url])));
      } finally {
        await stopAll([a, b]);
        await redis.stop();
      }
      return out;
    },
  },
];
