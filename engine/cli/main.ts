// `nodegrad train <graph.json>`: headless training with the same engine as the app.
import { readFileSync, writeFileSync } from 'node:fs';
import {
  CompileError,
  createTrainer,
  GraphFormatError,
  isClassification,
  loadDataset,
  parseGraph,
  serializeGraph,
  selectFastestKernels,
} from '../index.ts';
import { enableRelaxedSimd, loadMnistFile } from '../node.ts';
import { type CliArgs, parseArgs, type TrainArgs, USAGE } from './args.ts';
import { createProgress } from './progress.ts';

const EXIT_OK = 0;
const EXIT_NON_FINITE = 1;
const EXIT_BAD_INPUT = 2;

/** Runs the CLI; resolves to the process exit code. */
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
  enableRelaxedSimd();
  selectFastestKernels();
  return train(args);
}

function fail(lines: string[]): number {
  for (const line of lines) console.error(line);
  return EXIT_BAD_INPUT;
}

async function train(args: TrainArgs): Promise<number> {
  let text: string;
  try {
    text = readFileSync(args.file, 'utf8');
  } catch (e) {
    return fail([`nodegrad: cannot read ${args.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail([`nodegrad: ${args.file} is not valid JSON: ${(e as Error).message}`]);
  }
  let doc: ReturnType<typeof parseGraph>;
  try {
    doc = parseGraph(json);
  } catch (e) {
    if (!(e instanceof GraphFormatError)) throw e;
    return fail([
      `nodegrad: ${args.file} is not a valid nodegrad graph:`,
      ...e.problems.map((p) => `  ${p.path}: ${p.message}`),
    ]);
  }
  const seed = args.seed ?? doc.training.seed;
  const spec = doc.nodes.find((n) => n.type === 'input')?.data.dataset;
  if (!spec) return fail(['nodegrad: the Input node has no dataset to train on']);
  let trainer: ReturnType<typeof createTrainer>;
  try {
    const dataset = loadDataset(spec, { seed, mnist: spec.kind === 'mnist' ? loadMnistFile() : undefined });
    trainer = createTrainer(doc, dataset, { seed });
  } catch (e) {
    if (e instanceof CompileError) {
      return fail([
        `nodegrad: ${args.file} does not compile:`,
        ...e.problems.map((p) => `  ${p.nodeId ?? p.edgeId ?? 'graph'}: ${p.message}`),
      ]);
    }
    return fail([`nodegrad: ${(e as Error).message}`]);
  }

  const epochs = args.epochs ?? doc.training.epochs;
  const mode = args.json ? 'quiet' : process.stdout.isTTY ? 'bar' : 'lines';
  const progress = createProgress(epochs, mode);
  const started = performance.now();
  let trainSeconds = 0;
  let stopped = null;
  while (trainer.epoch < epochs) {
    const r = trainer.trainEpoch();
    if (r.nonFinite) {
      stopped = r.nonFinite;
      break;
    }
    const m = r.epochEnded!;
    trainSeconds += m.seconds;
    progress.update(trainer.epoch, m, trainer.samples / trainSeconds);
  }
  progress.stop();
  const seconds = (performance.now() - started) / 1000;

  if (args.out) writeFileSync(args.out, `${JSON.stringify(serializeGraph(doc, trainer.model), null, 2)}\n`);
  const final = trainer.evaluate();
  const summary: Record<string, number> = { epochs: trainer.epoch, loss: final.trainLoss, testLoss: final.testLoss };
  if (isClassification(trainer.dataset.task)) {
    summary.trainAccuracy = final.trainAccuracy!;
    summary.testAccuracy = final.testAccuracy!;
  }
  summary.seconds = Number(seconds.toFixed(3));
  summary.samplesPerSecond = Math.round(trainer.samples / Math.max(trainSeconds, 1e-9));
  if (stopped)
    console.error(
      `nodegrad: training stopped at epoch ${trainer.epoch + 1}: ${stopped.message} (node '${stopped.nodeId}')`,
    );
  else if (!args.json) {
    const acc = summary.testAccuracy === undefined ? '' : `, test accuracy ${(summary.testAccuracy * 100).toFixed(2)}%`;
    console.log(
      `trained ${trainer.epoch} epochs in ${seconds.toFixed(2)} s: loss ${final.trainLoss.toPrecision(4)}${acc}${args.out ? `; wrote ${args.out}` : ''}`,
    );
  }
  if (args.json) console.log(JSON.stringify(stopped ? { ...summary, stoppedAt: stopped } : summary));
  return stopped ? EXIT_NON_FINITE : EXIT_OK;
}
