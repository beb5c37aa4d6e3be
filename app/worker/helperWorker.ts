/// <reference lib="webworker" />
// A helper thread of two-thread training steps (the engine's runHelper), started by the training
// worker (helperThreads.ts). Each message is one model's HelperInit; when that model stops, the
// thread says 'idle' and may serve the next.
import { type HelperInit, runHelper } from '../../engine/index.ts';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (event: MessageEvent<HelperInit>) => {
  try {
    runHelper(event.data);
    self.postMessage('idle');
  } catch {
    // The helper marked itself FAILED: the training thread goes on alone; this thread is done.
    self.postMessage('failed');
  }
};
