// `nodegrad train <graph.json>`: headless training with the same engine as the app;
// `nodegrad export <graph.json> --to onnx|pytorch|numpy` (exportGraph.ts): the graph as a model file or a program;
// `nodegrad import-data …` (importData.ts): a dataset into a graph's Input node;
// `nodegrad sweep <graph.json> --vary …` (sweep.ts): many variants trained in worker threads.
import { createTrainer, loadDataset, runSummary, serializeGraph, selectFastestKernels } from '../index.ts';
import { enableRelaxedSimd, enableWorkerThreads, loadMnistFile } from '../node.ts';
import { type CliArgs, parseArgs, type TrainArgs, USAGE } from './args.ts';
import { exportGraph } from './exportGraph.ts';
import { cannotWrite, compileFailure, EXIT_BAD_INPUT, fail, readGraph, reason, writeOutput } from './files.ts';
import { importData } from './importData.ts';
import { createProgress } from './progress.ts';
import { sweep } from './sweep.ts';

const EXIT_OK = 0;
const EXIT_NON_FINITE = 1;
const EXIT_INTERNAL = 3;

/** Runs the CLI; resolves to the process exit code (never rejects). */
export async function main(argv: string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    console.error(`nodegrad: ${(e as Error).message}\n\n${USAGE}`);
    return EXIT_BAD_INPUT;
  }
  if (args.command === 'help') {
    console.log(USAGE);
    return EXIT_OK;
  }
  try {
    // NOTE: relaxed SIMD must be on before the first kernel use (the engine picks its default then).
    enableRelaxedSimd();
    selectFastestKernels();
    enableWorkerThreads();
    if (args.command === 'export') return exportGraph(args);
    if (args.command === 'sweep') return await sweep(args);
    return args.command === 'import-data' ? await importData(args) : await train(args);
  } catch (e) {
    return internalError(e, args.debug === true);
  }
}

/**
 * An error that is not the input's fault (a bug, a broken environment): one line, exit 3; the
 * stack with --debug. bin/nodegrad.mjs prints the same line for errors before main runs.
 */
export function internalError(e: unknown, debug: boolean): number {
  const message = e instanceof Error ? e.message : String(e);
  if (!debug) console.error(`nodegrad: internal error: ${message} (run with --debug for the stack)`);
  else {
    console.error(`nodegrad: internal error: ${message}`);
    if (e instanceof Error && e.stack) console.error(e.stack);
  }
  return EXIT_INTERNAL;
}

async function train(args: TrainArgs): Promise<number> {
  const unwritable = args.out === undefined ? null : cannotWrite(args.out);
  if (unwritable) return fail([`nodegrad: cannot write ${args.out}: ${unwritable}`]);
  const doc = readGraph(args.file);
  if (typeof doc === 'number') return doc;
  const seed = args.seed ?? doc.training.seed;
  const spec = doc.nodes.find((n) => n.type === 'input')?.data.dataset;
  if (!spec) return fail(['nodegrad: the Input node has no dataset to train on']);
  let dataset: ReturnType<typeof loadDataset>;
  try {
    // NOTE: the dataset's own errors (a CSV cell that is not a number, MNIST data missing) are plain Errors.
    dataset = loadDataset(spec, { seed, mnist: spec.kind === 'mnist' ? loadMnistFile() : undefined });
  } catch (e) {
    return fail([`nodegrad: ${(e as Error).message}`]);
  }
  let trainer: ReturnType<typeof createTrainer>;
  try {
    trainer = createTrainer(doc, dataset, { seed, threads: args.threads });
  } catch (e) {
    return compileFailure(args.file, e);
  }

  // NOTE: two threads asked for by name run from the first step; under auto, steps go on alone meanwhile.
  if (typeof args.threads === 'number' && args.threads > 1) await trainer.model.threadsReady?.();
  const epochs = args.epochs ?? doc.training.epochs;
  const mode = args.json ? 'quiet' : process.stdout.isTTY ? 'bar' : 'lines';
  const progress = createProgress(epochs, mode);
  let trainSeconds = 0;
  let trainSamples = 0;
  let stopped = null;
  const started = performance.now();
  try {
    while (trainer.epoch < epochs) {
      const r = trainer.trainEpoch();
      if (r.nonFinite) {
        stopped = r.nonFinite;
        break;
      }
      const m = r.epochEnded!;
      trainSeconds += m.seconds;
      trainSamples = trainer.samples;
      progress.update(trainer.epoch, m, trainSamples / trainSeconds);
    }
  } finally {
    progress.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  const threads = trainer.model.threads ?? 1;

  let exitCode = stopped ? EXIT_NON_FINITE : EXIT_OK;
  let wrote = false;
  if (args.out) {
    try {
      writeOutput(args.out, `${JSON.stringify(serializeGraph(doc, trainer.model), null, 2)}\n`);
      wrote = true;
    } catch (e) {
      // NOTE: checked before training; this is the rare case where it changed since (disk full, …).
      console.error(`nodegrad: cannot write ${args.out}: ${reason(e)}`);
      if (!stopped) exitCode = EXIT_BAD_INPUT;
    }
  }
  const summary: Record<string, number> = { ...runSummary(trainer) } as Record<string, number>;
  summary.seconds = Number(seconds.toFixed(3));
  // NOTE: measured over finished epochs only; a run stopped in its first epoch has no speed to report.
  if (trainSeconds > 0) summary.samplesPerSecond = Math.round(trainSamples / trainSeconds);
  summary.threads = threads;
  if (stopped)
    console.error(
      `nodegrad: training stopped at epoch ${trainer.epoch + 1}: ${stopped.message} (node '${stopped.nodeId}')`,
    );
  else if (!args.json) {
    const acc = summary.testAccuracy === undefined ? '' : `, test accuracy ${(summary.testAccuracy * 100).toFixed(2)}%`;
    console.log(
      `trained ${trainer.epoch} epochs in ${seconds.toFixed(2)} s${threads > 1 ? ` on ${threads} threads` : ''}: loss ${summary.loss!.toPrecision(4)}${acc}${wrote ? `; wrote ${args.out}` : ''}`,
    );
  }
  if (args.json) console.log(JSON.stringify(stopped ? { ...summary, stoppedAt: stopped } : summary));
  trainer.model.release?.();
  return exitCode;
}
