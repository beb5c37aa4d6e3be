// How the training worker starts the helper thread of a two-thread model: a nested Web Worker
// (helperWorker.ts). Where the page is cross-origin isolated (SharedArrayBuffer; the host sends
// COOP/COEP, README "Performance") it shares the training worker's WebAssembly memory; elsewhere
// (a static host such as GitHub Pages) the same worker file gets each step's half by messages.
import { type FromMessageHelper, type HelperPort, setMessageSpawner, setThreadSpawner } from '../../engine/index.ts';

const helperUrl = () => new URL('./helperWorker.ts', import.meta.url);

/** Installs the spawner this page allows; true when helpers share memory, false when they get messages. */
export function installHelperThreads(): boolean {
  const cores = navigator.hardwareConcurrency || 1;
  if (typeof SharedArrayBuffer === 'undefined' || !globalThis.crossOriginIsolated) {
    setMessageSpawner(
      () => {
        const worker = new Worker(helperUrl(), { type: 'module', name: 'nodegrad-helper' });
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
        const started = new Worker(helperUrl(), { type: 'module', name: 'nodegrad-helper' });
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
