// A helper thread of two-thread models (engine/parallel/helper.ts) under Node's worker_threads:
// started by engine/node.ts enableWorkerThreads(), runs the TypeScript helper through tsx. Each
// message is one model's HelperInit; when that model stops, the thread says 'idle' and may get another.
// A thread started by enableMessageWorkers() instead serves one message helper (createMessageHelper).
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { runHelper } = await import('../engine/parallel/helper.ts');
const { createMessageHelper } = await import('../engine/parallel/messageHelper.ts');
/** The message helper this thread serves when its messages have a `type` (engine/parallel/messages.ts). */
let messages = null;
parentPort.on('message', (init) => {
  if (typeof init.type === 'string') {
    messages ??= createMessageHelper((reply, transfer) => parentPort.postMessage(reply, transfer));
    messages(init);
    return;
  }
  try {
    runHelper(init);
    parentPort.postMessage('idle');
  } catch {
    // The helper marked itself FAILED: the model's next step throws with a message; this thread is done.
    parentPort.postMessage('failed');
  }
});
