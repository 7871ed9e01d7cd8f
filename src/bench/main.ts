/**
 * `npm run bench`: runs every bench section module in order and prints its measurements.
 * A part adds its own module here (e.g. src/bench/http.ts for /api/chat throughput); each module
 * exports `sections: BenchSection[]` (src/bench/section.ts). Speed targets live here, not in tests.
 */
import type { BenchSection } from './section.ts';

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
    for (const r of await section.run()) {
      const value = r.value >= 100 ? r.value.toFixed(0) : r.value.toFixed(2);
      process.stdout.write(`${r.name.padEnd(48)} ${value.padStart(8)} ${r.unit}${r.target ? `   (target ${r.target})` : ''}\n`);
    }
  }
}
