// A helper thread of a two-thread model (engine/parallel/helper.ts) under Node's worker_threads:
// started by engine/node.ts enableWorkerThreads(), runs the TypeScript helper through tsx.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { runHelper } = await import('../engine/parallel/helper.ts');
runHelper(workerData);
