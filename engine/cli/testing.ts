// Test helpers: the CLI run in the test's own process (main() as bin/nodegrad.mjs calls it), or as the
// user runs it, in a process of its own. NOTE: spawning costs ≈ 1 s of TypeScript loading per run, so
// tests of arguments, messages and exit codes run in process; a few keep a real process for what only
// a process shows (the bin script's exit code, a file-size limit, worker threads' start-up).
import { spawnSync } from 'node:child_process';
import { format } from 'node:util';
import { main } from './main.ts';

/** A CLI run: its exit code and what it printed. */
export interface CliRun {
  code: number | null;
  out: string;
  err: string;
}

/**
 * `nodegrad <args>` in this process: console.log and console.error (all the CLI prints through)
 * captured while it runs.
 *
 * @example
 * const r = await runCli('train', 'public/examples/xor.json', '--json');
 */
export async function runCli(...args: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  console.log = (...a: unknown[]) => void out.push(`${format(...a)}\n`);
  console.error = (...a: unknown[]) => void err.push(`${format(...a)}\n`);
  try {
    const code = await main(args);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

/** `node bin/nodegrad.mjs <args>` in a process of its own. */
export function spawnCli(...args: string[]): CliRun {
  const r = spawnSync(process.execPath, ['bin/nodegrad.mjs', ...args], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The last line of a run's output as JSON (the `--json` summary). */
export const lastJson = (out: string) => JSON.parse(out.trim().split('\n').pop()!);
