// Node-only helpers (files on disk). Never imported by engine/index.ts, which browsers bundle.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { setThreadSpawner } from './parallel/threads.ts';
import { decodeMnist, type MnistData } from './datasets/mnist.ts';
// @ts-expect-error: a plain ES module script without type declarations
import { ensureMnist } from '../scripts/ensure-data.mjs';

let cached: MnistData | undefined;

/** The 10,000 MNIST digits from public/data/mnist.bin, generated first when missing. */
export function loadMnistFile(): MnistData {
  if (!cached) {
    const path = (ensureMnist as (o: { quiet: boolean }) => string)({ quiet: true });
    const bytes = readFileSync(path);
    cached = decodeMnist(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
  return cached;
}

/**
 * Turns on WebAssembly relaxed SIMD where Node has it behind a flag (Node 20, V8 11.3; Node 22+
 * and Chrome 114+ have it on by default), so the kernels installed at first use (or by
 * selectFastestKernels()) can be the fused multiply-add ones. Call it before the first model runs:
 * once installed, the default kernels stay.
 */
export function enableRelaxedSimd(): void {
  if (process.versions.node.split('.')[0] === '20') setFlagsFromString('--experimental-wasm-relaxed-simd');
}

/**
 * Lets models compiled with `threads: 2` start their helper thread as a Node worker thread
 * (bin/step-worker.mjs). The worker does not keep the process alive.
 */
export function enableWorkerThreads(): void {
  setThreadSpawner((init) => {
    // NOTE: relative to this file, or to scripts/bench.mjs in the benchmark's bundle: both one level below the root.
    const worker = new Worker(new URL('../bin/step-worker.mjs', import.meta.url), { workerData: init });
    worker.unref();
    // The helper marks itself FAILED first; the model's next step then throws with a message.
    worker.on('error', () => {});
    return { stop: () => void worker.terminate() };
  });
}
