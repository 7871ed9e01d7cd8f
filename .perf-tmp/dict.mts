const tok = await import('/work/main/src/text/tokenizer.ts');
const t = performance.now();
await tok.getTokenizer();
const d = performance.now() - t;
(globalThis as any).gc?.();
const m = process.memoryUsage();
console.log('dict ms', d.toFixed(0), Object.fromEntries(Object.entries(m).map(([k, v]) => [k, (v / 2 ** 20).toFixed(0)])));
