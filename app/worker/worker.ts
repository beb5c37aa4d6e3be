/// <reference lib="webworker" />
// The training worker: wires the session (session.ts) to the worker's message port.
import { decodeMnist } from '../../engine/index.ts';
import { type FromWorker, type ToWorker, transferables } from './protocol.ts';
import { installHelperThreads } from './helperThreads.ts';
import { createSession } from './session.ts';

declare const self: DedicatedWorkerGlobalScope;

// NOTE: the engine installs its fastest kernels (WebAssembly SIMD, relaxed where supported) at first use.
// Two-thread steps: on shared memory where the page is cross-origin isolated, by messages elsewhere.
installHelperThreads();

// NOTE: a MessageChannel yields to pending messages without setTimeout's 4 ms clamping.
const channel = new MessageChannel();
let pending: (() => void) | null = null;
channel.port1.onmessage = () => {
  const fn = pending;
  pending = null;
  fn?.();
};

const session = createSession({
  post: (m: FromWorker) => self.postMessage(m, transferables(m)),
  loadMnist: async () => {
    const response = await fetch(`${import.meta.env.BASE_URL}data/mnist.bin`);
    if (!response.ok) throw new Error(`MNIST data missing (HTTP ${response.status}); run \`npm run data\``);
    return decodeMnist(new Uint8Array(await response.arrayBuffer()));
  },
  schedule: (fn, delayMs) => {
    if (delayMs !== undefined && delayMs > 0) {
      setTimeout(fn, delayMs);
      return;
    }
    pending = fn;
    channel.port2.postMessage(0);
  },
  now: () => performance.now(),
});

self.onmessage = (event: MessageEvent<ToWorker>) => void session.handle(event.data);
