/**
 * `npm run --silent cli -- <command> …` — the operator's and the tools' command line.
 * Each command lives in its own module under src/cli/ and is loaded only when called, so
 * `knowledge check` never pays for the tokenizer.
 */
const COMMANDS: Record<string, { load: () => Promise<{ run: (argv: string[]) => Promise<number> }>; help: string; tokenizer?: true }> = {
  knowledge: { load: () => import('./knowledge.ts'), help: 'knowledge check | list [--json] | stats | import mirasapo <supports.zip|supports.json>' },
  index: { load: () => import('./index-cmd.ts'), help: 'index build — build the saved search index' },
  ask: { load: () => import('./ask.ts'), help: 'ask "<question>" [--json] [--top N] | ask --batch <file.jsonl> --json', tokenizer: true },
  classify: { load: () => import('./classify.ts'), help: 'classify --industry <text> --employees <n> [--capital <円>] [--json]' },
  desks: { load: () => import('./desks.ts'), help: 'desks --municipality <市町> [--area <地域>] [--json]' },
  chat: { load: () => import('./chat.ts'), help: 'chat [--json] — terminal chat', tokenizer: true },
  report: { load: () => import('./report.ts'), help: 'report unanswered [--since <date>] | report freshness' },
};

function usage(): string {
  return ['usage: npm run --silent cli -- <command>', ...Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(10)} ${v.help}`)].join('\n');
}

// `… | head` closes the pipe early: stop quietly instead of crashing with EPIPE
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

async function main(): Promise<number> {
  const [cmd, ...rest] = process.argv.slice(2);
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(usage() + '\n');
    return cmd ? 0 : 2;
  }
  const entry = COMMANDS[cmd];
  if (!entry) {
    process.stderr.write(`unknown command "${cmd}"\n${usage()}\n`);
    return 2;
  }
  // the dictionary is read and decompressed off the main thread while the command's modules load
  if (entry.tokenizer && !rest.some((a) => a === '--help' || a === '-h')) (await import('../text/tokenizer.ts')).preloadTokenizer();
  const mod = await entry.load();
  return mod.run(rest);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
