// A worker thread of `nodegrad sweep`: loads the TypeScript worker (engine/cli/sweepWorker.ts)
// through tsx, as bin/nodegrad.mjs does for the main thread (workers do not inherit its hooks).
import { register } from 'tsx/esm/api';

register();
await import('../engine/cli/sweepWorker.ts');
