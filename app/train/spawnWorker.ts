// The one place that starts a training worker (app/train/worker.ts): the training client's and the
// Compare dialog's, so the bundle holds one worker chunk.
import type { WorkerLike } from '../editor/trainingClient.ts';

export function spawnTrainingWorker(name = 'nodegrad-training'): WorkerLike {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name }) as unknown as WorkerLike;
}
