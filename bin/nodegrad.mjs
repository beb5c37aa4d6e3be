#!/usr/bin/env node
// `npx nodegrad train <graph.json> ...`: runs the TypeScript CLI (engine/cli/main.ts) through tsx.
// main() maps every error to an exit code itself; this catch is for errors before it runs.
import { register } from 'tsx/esm/api';

const argv = process.argv.slice(2);
try {
  register();
  const { main } = await import('../engine/cli/main.ts');
  process.exitCode = await main(argv);
} catch (e) {
  const message = e instanceof Error ? e.message : String(e);
  if (argv.includes('--debug')) console.error(`nodegrad: internal error: ${message}\n${e?.stack ?? ''}`);
  else console.error(`nodegrad: internal error: ${message} (run with --debug for the stack)`);
  process.exitCode = 3;
}
