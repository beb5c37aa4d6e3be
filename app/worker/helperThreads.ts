// How the training worker starts the helper thread of a two-thread model: a nested Web Worker
// (helperWorker.ts). Where the page is cross-origin isolated (SharedArrayBuffer; the host sends
// COOP/COEP, README "Performance") it shares the training worker's WebAssembly memory; elsewhere
// (a static host such as GitHub Pages) the same worker file gets each step's half by messages.
import { type FromMessageHelper, type HelperPort, setMessageSpawner, setThreadSpawner } from '../../engine/index.ts';

/** The nested worker. NOTE: Vite bundles a worker only when `new Worker(new URL(…))` is written out in full. */
const startHelper = () =>
  new Worker(new URL('./helperWorker.ts', import.meta.url), { type: 'module', name: 'nodegrad-helper' });

/** Installs the spawner this page allows; true when helpers share memory, false when they get messages. */
export function installHelperThreads(): boolean {
  const cores = navigator.hardwareConcurrency || 1;
  if (typeof SharedArrayBuffer === 'undefined' || !globalThis.crossOriginIsolated) {
    setMessageSpawner(
      () => {
        const worker = startHelper();
        const port: HelperPort = {
          postMessage: (message, transfer) => worker.postMessage(message, transfer),
          onmessage: null,
          terminate: () => worker.terminate(),
        };
        worker.onmessage = (e: MessageEvent<FromMessageHelper>) => port.onmessage?.({ data: e.data });
        worker.onerror = (e) => port.onmessage?.({ data: { type: 'failed', message: e.message } });
        return port;
      },
      { cores },
    );
    return false;
  }
  const idle: Worker[] = [];
  setThreadSpawner(
    (init) => {
      let worker = idle.pop();
      if (!worker) {
        const started = startHelper();
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
    { cores },
  );
  return true;
}
