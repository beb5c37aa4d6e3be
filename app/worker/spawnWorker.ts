// The one place that starts a training worker (app/worker/worker.ts): the training client's and the
// Compare dialog's, so the bundle holds one worker chunk.
import type { WorkerLike } from './protocol.ts';

export function spawnTrainingWorker(name = 'nodegrad-training'): WorkerLike {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name }) as unknown as WorkerLike;
}
