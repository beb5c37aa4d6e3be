// `nodegrad sweep <graph.json> --vary <path>=<v1>,… [--repeats R]`: every combination of the varied
// settings, each trained R times (seeds seed, seed+1, …) in worker threads, one per core; then a
// table of mean ± sd per combination and, with --json, every run as one JSON line.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import cliProgress from 'cli-progress';
import {
  analyzeGraph,
  groupBySettings,
  meanSd,
  parseVary,
  SweepError,
  type SweepVariant,
  settingsLabel,
  sweepVariants,
} from '../index.ts';
import type { SweepArgs } from './args.ts';
import { fail, readGraph } from './files.ts';
import type { SweepRunResult, SweepTask, SweepWorkerMessage } from './sweepProtocol.ts';

const EXIT_NON_FINITE = 1;
const WORKER_URL = new URL('../../bin/sweep-worker.mjs', import.meta.url);

/** A run's failure that is the input's fault (exit 2), not the program's. */
class RunInputError extends Error {}

export async function sweep(args: SweepArgs): Promise<number> {
  const doc = readGraph(args.file);
  if (typeof doc === 'number') return doc;
  let variants: SweepVariant[];
  try {
    variants = sweepVariants(doc, args.varies.map(parseVary), args.repeats);
  } catch (e) {
    if (!(e instanceof SweepError)) throw e;
    return fail([`nodegrad: ${e.message}`]);
  }
  for (const g of groupBySettings(variants)) {
    const { problems } = analyzeGraph(g.runs[0]!.doc);
    if (problems.length > 0)
      return fail([
        `nodegrad: ${args.file} with ${settingsLabel(g.settings)} does not compile:`,
        ...problems.map((p) => `  ${p.nodeId ?? p.edgeId ?? 'graph'}: ${p.message}`),
      ]);
  }
  const cores = availableParallelism();
  const threads = Math.max(1, Math.min(cores, variants.length));
  // NOTE: a run may split its steps over two threads only where the runs leave cores free (a single run).
  const runThreads = args.threads ?? (cores >= 2 * threads ? 'auto' : 1);
  const tasks: SweepTask[] = variants.map((v, index) => ({
    index,
    doc: v.doc,
    epochs: args.epochs ?? v.doc.training.epochs,
    threads: runThreads,
  }));
  const progress = createSweepProgress(tasks, variants, args.json);
  const started = performance.now();
  let results: SweepRunResult[];
  try {
    results = await runPool(tasks, threads, progress);
  } catch (e) {
    if (!(e instanceof RunInputError)) throw e;
    return fail([`nodegrad: ${e.message}`]);
  } finally {
    progress.stop();
  }
  const seconds = (performance.now() - started) / 1000;

  const runs = variants.map((v, i) => ({ settings: v.settings, seed: v.seed, ...results[i]! }));
  for (const line of table(runs)) console.log(line);
  console.log(`${runs.length} runs in ${seconds.toFixed(2)} s on ${threads} worker thread${threads > 1 ? 's' : ''}`);
  const stopped = runs.filter((r) => r.stoppedAt);
  for (const r of stopped)
    console.error(
      `nodegrad: ${settingsLabel(r.settings)}, seed ${r.seed}: stopped at epoch ${r.epochs + 1}: ${r.stoppedAt!.message}`,
    );
  if (args.json) {
    const json = runs.map((r) => {
      const out: Record<string, unknown> = {
        settings: Object.fromEntries(r.settings),
        seed: r.seed,
        loss: r.loss,
        testLoss: r.testLoss,
      };
      if (r.testAccuracy !== undefined) {
        out.trainAccuracy = r.trainAccuracy;
        out.testAccuracy = r.testAccuracy;
      }
      out.seconds = Number(r.seconds.toFixed(3));
      if (r.stoppedAt) out.stoppedAt = r.stoppedAt;
      return out;
    });
    console.log(JSON.stringify({ runs: json, seconds: Number(seconds.toFixed(3)) }));
  }
  return stopped.length > 0 ? EXIT_NON_FINITE : 0;
}

/** Trains the tasks on `threads` workers, each taking the next task when it finishes one. */
function runPool(tasks: readonly SweepTask[], threads: number, progress: SweepProgress): Promise<SweepRunResult[]> {
  const results: SweepRunResult[] = new Array(tasks.length);
  let next = 0;
  let finished = 0;
  const workers: Worker[] = [];
  /** Workers we ended ourselves (their exit code is terminate()'s, not a fault). */
  const ended = new Set<Worker>();
  return new Promise<SweepRunResult[]>((resolve, reject) => {
    let settled = false;
    const stopAll = (error: Error | null) => {
      if (settled) return;
      settled = true;
      for (const w of workers) {
        ended.add(w);
        void w.terminate();
      }
      if (error) reject(error);
      else resolve(results);
    };
    const hand = (w: Worker) => {
      if (next < tasks.length) w.postMessage(tasks[next++]);
      else {
        ended.add(w);
        void w.terminate();
      }
    };
    for (let i = 0; i < threads; i++) {
      const w = new Worker(WORKER_URL);
      workers.push(w);
      w.on('message', (m: SweepWorkerMessage) => {
        if (m.type === 'ready') hand(w);
        else if (m.type === 'epoch') progress.epoch(m.index, m.epoch);
        else if (m.type === 'done') {
          results[m.index] = m.result;
          progress.done(m.index, m.result);
          if (++finished === tasks.length) stopAll(null);
          else hand(w);
        } else if (m.input) stopAll(new RunInputError(m.message));
        else {
          // NOTE: the worker's own stack, for --debug; the message stays one line.
          const error = new Error(m.message);
          if (m.stack) error.stack = m.stack;
          stopAll(error);
        }
      });
      w.on('error', (e: unknown) => stopAll(e instanceof Error ? e : new Error(String(e))));
      w.on('exit', (code) => {
        if (code !== 0 && !ended.has(w)) stopAll(new Error(`a worker thread exited with code ${code}`));
      });
    }
  });
}

interface SweepProgress {
  epoch(index: number, epoch: number): void;
  done(index: number, result: SweepRunResult): void;
  stop(): void;
}

/** A bar on stderr when it is a terminal; else one line per finished run (none with --json). */
function createSweepProgress(
  tasks: readonly SweepTask[],
  variants: readonly SweepVariant[],
  json: boolean,
): SweepProgress {
  let finished = 0;
  if (!process.stderr.isTTY) {
    return {
      epoch() {},
      done(index, r) {
        finished++;
        if (json) return;
        const v = variants[index]!;
        console.log(
          `run ${finished}/${tasks.length} ${settingsLabel(v.settings)}, seed ${v.seed}: test loss ${r.testLoss.toPrecision(4)} (${r.seconds.toFixed(2)} s)`,
        );
      },
      stop() {},
    };
  }
  const epochs = tasks.map(() => 0);
  const total = tasks.reduce((a, t) => a + t.epochs, 0);
  let sum = 0;
  const bar = new cliProgress.SingleBar(
    {
      format: 'runs {runs}/{count} [{bar}] {percentage}% eta {eta_formatted}',
      hideCursor: true,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { runs: 0, count: tasks.length });
  const set = (index: number, epoch: number) => {
    sum += epoch - epochs[index]!;
    epochs[index] = epoch;
    bar.update(sum, { runs: finished, count: tasks.length });
  };
  return {
    epoch: set,
    done(index) {
      finished++;
      set(index, tasks[index]!.epochs);
    },
    stop: () => bar.stop(),
  };
}

type Run = { settings: SweepVariant['settings']; seed: number } & SweepRunResult;

/** The table: one row per combination, mean ± sd over its repeats. */
function table(runs: readonly Run[]): string[] {
  const groups = groupBySettings(runs);
  const paths = groups[0]!.settings.map(([p]) => p);
  const classification = runs.some((r) => r.testAccuracy !== undefined);
  const pm = (values: number[], f: (v: number) => string, g: (v: number) => string = f) => {
    const { mean, sd } = meanSd(values);
    return values.length > 1 ? `${f(mean)} ± ${g(sd)}` : f(mean);
  };
  const sd = (v: number) => v.toPrecision(2);
  const loss = (v: number) => v.toPrecision(4);
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  const head = [...paths, 'runs', 'test loss', 'train loss', ...(classification ? ['test accuracy'] : []), 'seconds'];
  const rows = groups.map((g) => [
    ...g.settings.map(([, v]) => String(v)),
    `${g.runs.length}${g.runs.some((r) => r.stoppedAt) ? ` (${g.runs.filter((r) => r.stoppedAt).length} stopped)` : ''}`,
    pm(
      g.runs.map((r) => r.testLoss),
      loss,
      sd,
    ),
    pm(
      g.runs.map((r) => r.loss),
      loss,
      sd,
    ),
    ...(classification
      ? [
          pm(
            g.runs.map((r) => r.testAccuracy ?? Number.NaN),
            pct,
          ),
        ]
      : []),
    meanSd(g.runs.map((r) => r.seconds)).mean.toFixed(2),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)];
}
