// Node-only helpers (files on disk). Never imported by engine/index.ts, which browsers bundle.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { type FromMessageHelper, type HelperPort, setMessageSpawner } from './parallel/messages.ts';
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
 * (bin/step-worker.mjs). A helper whose model stopped waits for the next model (no new thread, no
 * new compile of the kernels); idle helpers do not keep the process alive.
 */
export function enableWorkerThreads(): void {
  const idle: Worker[] = [];
  setThreadSpawner(
    (init) => {
      let worker = idle.pop();
      if (!worker) {
        // NOTE: relative to this file, or to scripts/bench.mjs in the benchmark's bundle: both one level below the root.
        const started = new Worker(new URL('../bin/step-worker.mjs', import.meta.url));
        started.on('message', (m) => {
          if (m === 'idle') idle.push(started);
          else void started.terminate();
        });
        // The helper marks itself FAILED first; the model's next step then throws with a message.
        started.on('error', () => {});
        started.unref();
        worker = started;
      }
      worker.postMessage(init);
      // NOTE: the model sets STOP itself; the thread then goes idle on its own.
      return { stop: () => {} };
    },
    { cores: availableParallelism() },
  );
}

/**
 * Lets models that cannot share memory with a helper thread (no thread spawner installed:
 * `setThreadSpawner(null)`) take two threads by messages, each helper a Node worker thread of its
 * own (bin/step-worker.mjs) ended with its model. Node always has shared memory: this is how tests
 * and the benchmark run the message-passing steps a page without cross-origin isolation uses.
 */
export function enableMessageWorkers(): void {
  setMessageSpawner(
    () => {
      const worker = new Worker(new URL('../bin/step-worker.mjs', import.meta.url));
      worker.unref();
      const port: HelperPort = {
        postMessage: (message, transfer) => worker.postMessage(message, transfer),
        onmessage: null,
        terminate: () => void worker.terminate(),
      };
      worker.on('message', (data: FromMessageHelper) => port.onmessage?.({ data }));
      worker.on('error', (e: Error) => port.onmessage?.({ data: { type: 'failed', message: e.message } }));
      return port;
    },
    { cores: availableParallelism() },
  );
}
