import { spawn } from 'node:child_process';
const port = 40000 + Math.floor(Math.random() * 1000);
const t0 = performance.now();
const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', WATCH_KNOWLEDGE: '0', UNANSWERED_LOG: '/dev/null' }, stdio: ['ignore', 'inherit', 'inherit'] });
let ready = 0;
for (;;) {
  const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
  if (ok) { ready = performance.now() - t0; break; }
  await new Promise((r) => setTimeout(r, 10));
}
const r = await fetch(`http://127.0.0.1:${port}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'bench', text: '設備投資に使える補助金はある？' }) });
const body = await r.text();
const first = performance.now() - t0;
console.log(JSON.stringify({ ready: Math.round(ready), firstAnswer: Math.round(first), status: r.status, len: body.length }));
proc.kill('SIGTERM');
