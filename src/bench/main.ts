/**
 * `npm run bench`: runs every bench section module in order and prints its measurements.
 * A part adds its own module here (e.g. src/bench/http.ts for /api/chat throughput); each module
 * exports `sections: BenchSection[]` (src/bench/section.ts). Speed targets live here, not in tests.
 */
import { readFileSync } from 'node:fs';
import type { BenchSection } from './section.ts';

/** The machine's CPU counters (/proc/stat first line: user … steal, in ticks), or null off Linux. */
function cpuTicks(): { busy: number; steal: number } | null {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    return { busy: f[0] + f[1] + f[2] + f[5] + f[6], steal: f[7] ?? 0 };
  } catch {
    return null;
  }
}

const modules: { name: string; load: () => Promise<{ sections: BenchSection[] }> }[] = [
  { name: 'search', load: () => import('./search.ts') },
  { name: 'http', load: () => import('./http.ts') },
  { name: 'adversarial', load: () => import('./adversarial.ts') },
];

// `npm run bench -- adversarial` runs only the named modules
const only = process.argv.slice(2);
for (const m of modules.filter((x) => !only.length || only.includes(x.name))) {
  const { sections } = await m.load();
  for (const section of sections) {
    process.stdout.write(`\n== ${section.name} ==\n`);
    const before = cpuTicks();
    const results = await section.run();
    const after = cpuTicks();
    // on a shared VM the host may run other guests on "our" cores: the share of CPU time stolen says
    // how far this section's figures are from what the code costs
    if (before && after && after.busy + after.steal > before.busy + before.steal) {
      const steal = (after.steal - before.steal) / (after.busy - before.busy + after.steal - before.steal);
      process.stdout.write(`(CPU time stolen by the host during this section: ${(100 * steal).toFixed(0)} %)\n`);
    }
    for (const r of results) {
      const value = r.value >= 100 ? r.value.toFixed(0) : r.value.toFixed(2);
      process.stdout.write(`${r.name.padEnd(48)} ${value.padStart(8)} ${r.unit}${r.target ? `   (target ${r.target})` : ''}\n`);
    }
  }
}
