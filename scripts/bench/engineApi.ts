// The "engine API, no setup" benchmark row: MNIST trained the way a library user would, through
// engine/index.ts only (parseGraph, loadDataset, compile, createTrainer) with no kernel selection
// and no enableRelaxedSimd(). bench.ts runs it in a fresh Node process (through tsx), so nothing
// else can have installed kernels first.
// Usage: node --import tsx scripts/bench/engineApi.ts <graph.json> <mnist.bin> <epochs>
// Prints one JSON line: {"kernels":…,"rates":[samples/s per epoch],"testAccuracy":…}.
import { readFileSync } from 'node:fs';
import { compile, createTrainer, decodeMnist, getKernels, loadDataset, parseGraph } from '../../engine/index.ts';

export interface EngineApiResult {
  /** The kernels the engine chose by itself. */
  kernels: string;
  /** Samples per second of each epoch, as the trainer times them (the CLI's samplesPerSecond). */
  rates: number[];
  testAccuracy: number;
}

function main(graphPath: string, mnistPath: string, epochs: number): EngineApiResult {
  const doc = parseGraph(JSON.parse(readFileSync(graphPath, 'utf8')));
  const spec = doc.nodes.find((n) => n.type === 'input')?.data.dataset;
  if (spec?.kind !== 'mnist') throw new Error(`${graphPath}: the Input node has no MNIST dataset`);
  const bytes = readFileSync(mnistPath);
  const mnist = decodeMnist(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const dataset = loadDataset(spec, { seed: doc.training.seed, mnist });
  const model = compile(doc, { inputShape: dataset.inputShape, targetShape: dataset.targetShape });
  const trainer = createTrainer(doc, dataset, { model });
  const n = dataset.train.x.shape[0] as number;
  const rates: number[] = [];
  for (let e = 0; e < epochs; e++) {
    const r = trainer.trainEpoch();
    if (!r.epochEnded) throw new Error(`training stopped: ${r.nonFinite?.message}`);
    rates.push(n / r.epochEnded.seconds);
  }
  return { kernels: getKernels().name, rates, testAccuracy: trainer.history.at(-1)?.testAccuracy ?? Number.NaN };
}

const [graphPath, mnistPath, epochs] = process.argv.slice(2);
if (!graphPath || !mnistPath) throw new Error('usage: engineApi.ts <graph.json> <mnist.bin> <epochs>');
console.log(JSON.stringify(main(graphPath, mnistPath, Number(epochs ?? 2))));
