// Runs inside a Chromium Web Worker of a page that is NOT cross-origin isolated (bundled by
// scripts/bench/messages.ts): would two threads that exchange messages (no shared memory there)
// make a training step faster? For each graph: one thread's step, a half batch's step, and the
// round trip of the exchange such a step needs at the least (the parameters' gradients one way and
// the summed update the other, ping-ponged as transferred buffers) to a nested worker, as the app's
// helper would be. A two-thread step takes at least half + round trip. Then the real thing: the
// step on two threads by messages (the engine's setMessageSpawner, this same file as the nested
// worker, as the app's helperWorker.ts is).
import {
  batchSplits,
  compile,
  createMessageHelper,
  createOptimizer,
  decodeMnist,
  type FromMessageHelper,
  type GraphDoc,
  type HelperPort,
  loadDataset,
  parseGraph,
  selectFastestKernels,
  setMessageSpawner,
  type Tensor,
  type ToMessageHelper,
} from '../../engine/index.ts';

export interface MessagesRequest {
  mnist: ArrayBuffer;
  graphs: { name: string; doc: unknown }[];
  /** Round trips per timed round (5 rounds after an untimed one). */
  reps: number;
  /** This worker's bundled script (a nested worker of it is the message helper). */
  script: string;
}

export interface GraphTiming {
  name: string;
  batch: number;
  /** Floats of parameters: what each direction of the exchange carries. */
  paramFloats: number;
  /** False where the batch cannot be split (BatchNorm's statistics, dropout's masks): one thread, whatever the memory. */
  splits: boolean;
  /** µs of one thread's training step (lossAndGrads + optimizer). */
  step: number;
  /** µs of a step on half the batch (what each thread would do). */
  half: number;
  /** µs per round trip of paramFloats floats each way to a nested worker and back (the fastest of 5 rounds). */
  roundTrip: number;
  /** µs of a training step on two threads by messages (the fastest of 5 rounds); absent where the batch cannot be split. */
  byMessages?: number;
}

export interface MessagesReply {
  isolated: boolean;
  kernels: string;
  graphs: GraphTiming[];
}

/** µs per call of `run`, over at least `ms` milliseconds after a warm-up. */
function timeIt(run: () => void, ms: number): number {
  for (let i = 0; i < 5; i++) run();
  let calls = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    run();
    calls++;
  }
  return ((performance.now() - t0) * 1000) / calls;
}

// The nested worker: sends back every buffer it gets (transferred), as a helper would send its gradients.
const ECHO = 'self.onmessage = (e) => self.postMessage(e.data, [e.data]);';

/**
 * µs per round trip, the fastest of 5 rounds of `reps`. NOTE: timed over whole rounds: without
 * cross-origin isolation performance.now() ticks in 100 µs steps.
 */
async function roundTrip(floats: number, reps: number): Promise<number> {
  const echo = new Worker(URL.createObjectURL(new Blob([ECHO], { type: 'text/javascript' })));
  let buffer = new Float32Array(floats).buffer;
  const once = () =>
    new Promise<ArrayBuffer>((resolve) => {
      echo.onmessage = (e: MessageEvent<ArrayBuffer>) => resolve(e.data);
      echo.postMessage(buffer, [buffer]);
    });
  let best = Number.POSITIVE_INFINITY;
  for (let round = -1; round < 5; round++) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) buffer = await once();
    if (round >= 0) best = Math.min(best, ((performance.now() - t0) * 1000) / reps);
  }
  echo.terminate();
  return best;
}

/** The graph compiled on `threads` threads with its optimizer, and a whole and a half batch of its data. */
function training(doc: GraphDoc, mnist: ArrayBuffer, threads: 1 | 2) {
  const spec = doc.nodes.find((n) => n.type === 'input')!.data;
  const dataset = 'dataset' in spec ? spec.dataset! : undefined;
  const data = loadDataset(dataset!, {
    seed: doc.training.seed,
    mnist: dataset?.kind === 'mnist' ? decodeMnist(new Uint8Array(mnist)) : undefined,
  });
  const model = compile(doc, { inputShape: data.inputShape, targetShape: data.targetShape, threads });
  const optimizer = createOptimizer(doc.training.optimizer, model.params);
  const n = data.train.x.shape[0]!;
  const batch = Math.min(doc.training.batchSize, n);
  const rows = (count: number, t: Tensor): Tensor => {
    const size = t.data.length / n;
    return { shape: [count, ...t.shape.slice(1)], data: t.data.slice(0, count * size) };
  };
  const x = [batch, Math.max(1, Math.ceil(batch / 2))].map((count) => rows(count, data.train.x));
  const y = [batch, Math.max(1, Math.ceil(batch / 2))].map((count) => rows(count, data.train.y));
  return { model, optimizer, batch, x, y };
}

function stepTimes(doc: GraphDoc, mnist: ArrayBuffer): Omit<GraphTiming, 'name' | 'roundTrip'> {
  const { model, optimizer, batch, x, y } = training(doc, mnist, 1);
  // NOTE: the whole and the half batch alternate, the fastest of 5 rounds each (the machine may be busy).
  const best = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  for (let round = 0; round < 5; round++)
    for (const i of [0, 1])
      best[i] = Math.min(
        best[i]!,
        timeIt(() => optimizer.step(model.lossAndGrads(x[i]!, y[i]!).grads), 100),
      );
  const paramFloats = [...model.params.values()].reduce((sum, p) => sum + p.data.length, 0);
  return {
    batch,
    paramFloats,
    splits: batchSplits(
      model.buffers.size,
      doc.nodes.map((n) => n.type),
    ),
    step: best[0]!,
    half: best[1]!,
  };
}

/** µs of one training step on two threads by messages (the fastest of 5 rounds of ≥ 100 ms), or undefined. */
async function byMessagesTime(doc: GraphDoc, mnist: ArrayBuffer): Promise<number | undefined> {
  const { model, optimizer, x, y } = training(doc, mnist, 2);
  if ((await model.threadsReady!()) !== 2 || model.threadsBy !== 'messages') return undefined;
  const step = async () => optimizer.step((await model.lossAndGradsAsync!(x[0]!, y[0]!)).grads);
  for (let i = 0; i < 5; i++) await step();
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    let calls = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 100) {
      await step();
      calls++;
    }
    best = Math.min(best, ((performance.now() - t0) * 1000) / calls);
  }
  model.release!();
  return best;
}

// The nested worker of two threads by messages: this same file, named so.
if (self.name === 'nodegrad-helper') {
  const helper = createMessageHelper((reply, transfer) => postMessage(reply, { transfer }));
  self.onmessage = (e: MessageEvent<ToMessageHelper>) => helper(e.data);
} else
  self.onmessage = async (e: MessageEvent<MessagesRequest>) => {
    const { mnist, graphs, reps, script } = e.data;
    const kernels = selectFastestKernels();
    const helperUrl = URL.createObjectURL(new Blob([script], { type: 'text/javascript' }));
    setMessageSpawner(() => {
      const worker = new Worker(helperUrl, { name: 'nodegrad-helper' });
      const port: HelperPort = {
        postMessage: (message, transfer) => worker.postMessage(message, transfer),
        onmessage: null,
        terminate: () => worker.terminate(),
      };
      worker.onmessage = (m: MessageEvent<FromMessageHelper>) => port.onmessage?.({ data: m.data });
      return port;
    });
    const timings: GraphTiming[] = [];
    for (const { name, doc } of graphs) {
      const parsed = parseGraph(doc);
      const steps = stepTimes(parsed, mnist);
      const byMessages = steps.splits ? await byMessagesTime(parsed, mnist) : undefined;
      timings.push({ name, ...steps, roundTrip: await roundTrip(steps.paramFloats, reps), byMessages });
    }
    const reply: MessagesReply = { isolated: globalThis.crossOriginIsolated === true, kernels, graphs: timings };
    postMessage(reply);
  };
