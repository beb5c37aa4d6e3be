// Data-parallel training steps on two threads that share no memory (a page that is not cross-origin
// isolated has no SharedArrayBuffer): the helper (engine/parallel/messageHelper.ts) compiles the same
// graph into memory of its own. Each step the training thread sends the parameters and the last
// rows of the batch in ONE transferred buffer, runs its own rows meanwhile, then gets back the
// helper's loss, its parameter gradients (added to ours, as threads.ts does) and its rows of every
// plan array (copied into ours where the shared helper would have written them, so every view
// covers the whole batch). The three buffers go back and forth, transferred, and are only made
// anew when a bigger batch needs them. The result equals one thread's up to float32 summation order.
import type { Plan } from '../compiler/plan.ts';
import type { Tensor } from '../tensor.ts';
import { addGradients, helperRows, HELPER_TIMEOUT_MS, meanOfHalves } from './halves.ts';

/** What the training thread sends its message helper. */
export type ToMessageHelper =
  | {
      type: 'init';
      /** The graph document (without weights) and compile options of the training thread's model. */
      doc: unknown;
      options: { seed?: number; inputShape: number[]; targetShape: number[] };
      /** Floats of all parameters together (a check that both models agree). */
      paramFloats: number;
    }
  | {
      type: 'step';
      /** Rows of the helper's half, and of the whole batch (the loss is a mean over them). */
      rows: number;
      total: number;
      /** The parameters (in Model.params order), then the helper's input rows, then its target rows. */
      batch: ArrayBuffer;
      /** Buffers the helper may write its reply into (too small ones it replaces). */
      grads: ArrayBuffer;
      plan: ArrayBuffer;
    }
  | { type: 'stop' };

/** What the message helper answers. */
export type FromMessageHelper =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | {
      type: 'done';
      /** The mean loss over the helper's rows. */
      loss: number;
      /** The step's buffer back, for the next step. */
      batch: ArrayBuffer;
      /** Its parameter gradients, concatenated in Model.params order. */
      grads: ArrayBuffer;
      /** Its rows of every plan array, concatenated in the plan's array order. */
      plan: ArrayBuffer;
    };

/** A started message helper, as a Worker is: messages both ways (buffers transferred) and an end. */
export interface HelperPort {
  postMessage(message: ToMessageHelper, transfer: ArrayBuffer[]): void;
  onmessage: ((event: { data: FromMessageHelper }) => void) | null;
  terminate(): void;
}

/** Starts a message helper (a nested Web Worker, a Node worker thread). */
export type MessageSpawner = () => HelperPort;

let spawner: MessageSpawner | null = null;
let cores = 1;

/**
 * Installs how message helpers start here and how many cores there are; null: none. Models use
 * them where helper threads cannot share memory (no thread spawner, no SharedArrayBuffer).
 */
export function setMessageSpawner(next: MessageSpawner | null, environment: { cores?: number } = {}): void {
  spawner = next;
  cores = Math.max(1, Math.floor(environment.cores ?? 2));
}

/** True when models compiled here can get a message helper; `cores`: how many the environment has. */
export function messageThreads(): { available: boolean; cores: number } {
  return { available: spawner !== null, cores };
}

interface Pending {
  resolve(reply: Extract<FromMessageHelper, { type: 'done' }>): void;
  reject(error: Error): void;
}

/** The training thread's side of message-passing steps; null from `start` where no helper can start. */
export class MessagePassing {
  private state: 'starting' | 'ready' | 'failed' = 'starting';
  private readonly port: HelperPort;
  private readonly params: Float32Array[];
  private readonly grads: Float32Array[];
  private readonly paramFloats: number;
  private readonly inSize: number;
  private readonly outSize: number;
  private batch: ArrayBuffer = new ArrayBuffer(0);
  private gradsBuffer: ArrayBuffer = new ArrayBuffer(0);
  private planBuffer: ArrayBuffer = new ArrayBuffer(0);
  private pending: Pending | null = null;
  private stopped = false;

  static start(
    doc: unknown,
    options: { seed?: number; inputShape: number[]; targetShape: number[] },
    params: ReadonlyMap<string, Tensor>,
    grads: ReadonlyMap<string, Tensor>,
  ): MessagePassing | null {
    return spawner ? new MessagePassing(spawner(), doc, options, params, grads) : null;
  }

  private constructor(
    port: HelperPort,
    doc: unknown,
    options: { seed?: number; inputShape: number[]; targetShape: number[] },
    params: ReadonlyMap<string, Tensor>,
    grads: ReadonlyMap<string, Tensor>,
  ) {
    this.port = port;
    this.params = [...params.values()].map((t) => t.data);
    this.grads = [...params.keys()].map((key) => grads.get(key)!.data);
    this.paramFloats = this.params.reduce((n, p) => n + p.length, 0);
    this.inSize = options.inputShape.reduce((a, b) => a * b, 1);
    this.outSize = options.targetShape.reduce((a, b) => a * b, 1);
    port.onmessage = (event) => this.receive(event.data);
    port.postMessage({ type: 'init', doc, options, paramFloats: this.paramFloats }, []);
  }

  /** True once the helper has compiled its model (until then steps run on one thread). */
  get ready(): boolean {
    return this.state === 'ready';
  }

  /** True while a step waits for the helper (another step then runs on one thread). */
  get busy(): boolean {
    return this.pending !== null;
  }

  /** Resolves once the helper is ready (true) or failed or took longer than `timeoutMs` (false). */
  async whenReady(timeoutMs = HELPER_TIMEOUT_MS): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (this.state === 'starting' && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.state === 'ready';
  }

  private receive(reply: FromMessageHelper): void {
    if (reply.type === 'ready') {
      if (this.state === 'starting') this.state = 'ready';
      return;
    }
    const pending = this.pending;
    this.pending = null;
    if (reply.type === 'failed') {
      this.state = 'failed';
      this.stopped = true;
      this.port.terminate();
      pending?.reject(
        new Error(`the helper of a two-thread model failed (${reply.message}): compile it with threads: 1`),
      );
      return;
    }
    this.batch = reply.batch;
    this.gradsBuffer = reply.grads;
    this.planBuffer = reply.plan;
    if (this.stopped) this.port.terminate();
    pending?.resolve(reply);
  }

  /**
   * One step on two threads: sends the helper the parameters and the last rows of the batch, runs
   * `own(rows)` on the first rows of `plan` meanwhile (the loss's gradient scaled for the whole
   * batch), then adds the helper's gradients and copies its rows of the plan. Resolves to the batch's
   * mean loss; null when this batch stays on one thread (the helper not ready or busy, a batch of 1).
   */
  lossAndGrads(plan: Plan, x: Tensor, y: Tensor, own: (rows: number) => number): Promise<number> | null {
    const rows = plan.batch;
    const second = helperRows(rows);
    const first = rows - second;
    if (second < 1 || this.state !== 'ready' || this.pending) return null;
    const inSize = this.inSize;
    const outSize = this.outSize;
    const floats = this.paramFloats + second * (inSize + outSize);
    if (this.batch.byteLength < 4 * floats) this.batch = new ArrayBuffer(4 * floats);
    const out = new Float32Array(this.batch, 0, floats);
    let at = 0;
    for (const p of this.params) {
      out.set(p, at);
      at += p.length;
    }
    out.set(x.data.subarray(first * inSize, rows * inSize), at);
    out.set(y.data.subarray(first * outSize, rows * outSize), at + second * inSize);
    const reply = new Promise<Extract<FromMessageHelper, { type: 'done' }>>((resolve, reject) => {
      this.pending = { resolve, reject };
    });
    const { batch, gradsBuffer, planBuffer } = this;
    this.port.postMessage({ type: 'step', rows: second, total: rows, batch, grads: gradsBuffer, plan: planBuffer }, [
      batch,
      gradsBuffer,
      planBuffer,
    ]);
    const lossOwn = own(first);
    return reply.then((done) => {
      const theirs = new Float32Array(done.grads, 0, this.paramFloats);
      let from = 0;
      for (const g of this.grads) {
        addGradients(g, theirs.subarray(from, from + g.length));
        from += g.length;
      }
      copyRows(plan, first, second, new Float32Array(done.plan));
      return meanOfHalves(first, lossOwn, second, done.loss);
    });
  }

  /** Ends the helper; a step in flight still gets its answer first. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.state = 'failed';
    if (!this.pending) this.port.terminate();
  }
}

/** Copies `rows` rows of every plan array, concatenated in `src`, into rows [from, from + rows) of `plan`. */
function copyRows(plan: Plan, from: number, rows: number, src: Float32Array): void {
  let at = 0;
  for (const a of plan.arrays) {
    const perRow = a.length / plan.batch;
    const n = perRow * rows;
    a.set(src.subarray(at, at + n), from * perRow);
    at += n;
  }
}
