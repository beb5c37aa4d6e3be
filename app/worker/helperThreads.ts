// How the training worker starts the helper thread of a two-thread model: a nested Web Worker
// (helperWorker.ts) sharing the training worker's WebAssembly memory. Possible only where the page
// is cross-origin isolated (SharedArrayBuffer; the host sends COOP/COEP, README "Performance");
// elsewhere no spawner is installed and every step runs on the training worker alone.
import { setThreadSpawner } from '../../engine/index.ts';

/** Installs the spawner where shared memory is allowed; true when it did. */
export function installHelperThreads(): boolean {
  if (typeof SharedArrayBuffer === 'undefined' || !globalThis.crossOriginIsolated) return false;
  const idle: Worker[] = [];
  setThreadSpawner(
    (init) => {
      let worker = idle.pop();
      if (!worker) {
        const started = new Worker(new URL('./helperWorker.ts', import.meta.url), {
          type: 'module',
          name: 'nodegrad-helper',
        });
        started.onmessage = (e: MessageEvent<string>) => {
          if (e.data === 'idle') idle.push(started);
          else started.terminate();
        };
        worker = started;
      }
      worker.postMessage(init);
      // NOTE: the model sets STOP itself; the thread then goes idle on its own.
      return { stop: () => {} };
    },
    { cores: navigator.hardwareConcurrency || 1 },
  );
  return true;
}
