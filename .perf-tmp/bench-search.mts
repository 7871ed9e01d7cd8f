const { sections } = await import('/work/main/src/bench/search.ts');
for (const r of await sections[0].run()) console.log(r.name.padEnd(50), r.value.toFixed(1), r.unit);
