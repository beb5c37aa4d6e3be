// Runs inside a Chromium Web Worker (bundled by scripts/bench/browser.ts): the benchmark's MNIST
// 784-64-10 row with the kernels the app's training worker picks, to show the worker's overhead.
import { decodeMnist, type GraphDoc, parseGraph, selectFastestKernels } from '../../engine/index.ts';
import { mnistSplit, nodegradEpoch } from './nodegradRuns.ts';

export interface BrowserRequest {
  mnist: ArrayBuffer;
  example: unknown;
  runs: number;
  samples: number;
}

export interface BrowserReply {
  kernels: string;
  rates: number[];
  accuracy: number;
}

self.onmessage = (e: MessageEvent<BrowserRequest>) => {
  const { mnist, example, runs, samples } = e.data;
  const kernels = selectFastestKernels();
  const doc: GraphDoc = parseGraph(example);
  const data = mnistSplit(decodeMnist(new Uint8Array(mnist)));
  const rates: number[] = [];
  let accuracy = 0;
  // NOTE: run -1 is the warm-up, as in the Node rows.
  for (let r = -1; r < runs; r++) {
    const result = nodegradEpoch(doc, [784, 64, 10], 100, data, samples);
    if (r >= 0) rates.push(result.rate);
    accuracy = result.accuracy;
  }
  const reply: BrowserReply = { kernels, rates, accuracy };
  postMessage(reply);
};
