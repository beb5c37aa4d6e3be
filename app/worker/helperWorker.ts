/// <reference lib="webworker" />
// A helper thread of two-thread training steps, started by the training worker (helperThreads.ts).
// Sharing memory (a cross-origin isolated page): each message is one model's HelperInit for the
// engine's runHelper; when that model stops, the thread says 'idle' and may serve the next. By
// messages (elsewhere): the messages have a `type` and go to one model's createMessageHelper.
import { createMessageHelper, type HelperInit, runHelper, type ToMessageHelper } from '../../engine/index.ts';

declare const self: DedicatedWorkerGlobalScope;

let messages: ((message: ToMessageHelper) => void) | null = null;

self.onmessage = (event: MessageEvent<HelperInit | ToMessageHelper>) => {
  const data = event.data;
  if ('type' in data) {
    messages ??= createMessageHelper((reply, transfer) => self.postMessage(reply, transfer));
    messages(data);
    return;
  }
  try {
    runHelper(data);
    self.postMessage('idle');
  } catch {
    // The helper marked itself FAILED: the training thread goes on alone; this thread is done.
    self.postMessage('failed');
  }
};
