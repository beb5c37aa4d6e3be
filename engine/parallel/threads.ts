// Data-parallel training steps on two threads: lossAndGrads gives the second half of each batch to
// a helper thread (engine/parallel/helper.ts) running the same graph, and sums the two halves'
// gradients weighted by their rows (every loss is a mean over the batch). Parameters, the helper's
// half of the batch and its gradients pass through the training thread's shared WebAssembly arena;
// the threads meet through Atomics on a small shared control block, no messages per step. The
// result equals one thread's up to float32 summation order.
import type { Tensor } from '../tensor.ts';
import { simdScaleAdd } from '../kernels/elementwise.ts';
import type { Arena } from '../kernels/wasm/arena.ts';
import {
  CONTROL_BYTES,
  DONE,
  type ExchangeSlot,
  FAILED,
  type HelperInit,
  LOSS_AT,
  READY,
  ROWS,
  SEQ,
  STATE,
  STOP,
} from './exchange.ts';

/** Starts a helper thread with `init`; `stop` ends it. Set by the environment (engine/node.ts, the app's worker). */
export type ThreadSpawner = (init: HelperInit) => { stop(): void };

let spawner: ThreadSpawner | null = null;

/** Installs how helper threads start here; null: no threads (models ask for them in vain). */
export function setThreadSpawner(next: ThreadSpawner | null): void {
  spawner = next;
}

/** How long the training thread waits for its helper before giving up on it. */
const HELPER_TIMEOUT_MS = 60_000;

interface Result {
  loss: number;
  grads: Map<string, Tensor>;
}

/** The training thread's side; null from `start` where no helper can run (no spawner, no shared arena). */
export class DataParallel {
  private readonly control: Int32Array;
  private readonly helperLoss: Float64Array;
  private readonly slots: { param: Float32Array; exParams: Float32Array; exGrads: Float32Array; key: string }[];
  private readonly x1: Tensor;
  private readonly y1: Tensor;
  private readonly stopHelper: () => void;
  private readonly inSize: number;
  private readonly outSize: number;
  /** Float offsets of the helper's half of the batch in the arena. */
  private readonly xAt: number;
  private readonly yAt: number;
  /** Every exchange block, given back by stop(). */
  private readonly blocks: number[];
  private seq = 0;

  static start(
    arena: Arena,
    doc: unknown,
    options: { seed?: number; inputShape: number[]; targetShape: number[] },
    params: ReadonlyMap<string, Tensor>,
    capacity: number,
  ): DataParallel | null {
    if (!spawner || !arena.shared || capacity < 1) return null;
    return new DataParallel(spawner, arena, doc, options, params, capacity);
  }

  private constructor(
    spawn: ThreadSpawner,
    private readonly arena: Arena,
    doc: unknown,
    options: { seed?: number; inputShape: number[]; targetShape: number[] },
    params: ReadonlyMap<string, Tensor>,
    private readonly capacity: number,
  ) {
    const control = new SharedArrayBuffer(CONTROL_BYTES);
    this.control = new Int32Array(control, 0, 8);
    this.helperLoss = new Float64Array(control, LOSS_AT, 1);
    const exchange: ExchangeSlot[] = [];
    for (const [key, t] of params) {
      const floats = t.data.length;
      exchange.push({ key, floats, params: arena.alloc(floats), grads: arena.alloc(floats) });
    }
    this.inSize = options.inputShape.reduce((a, b) => a * b, 1);
    this.outSize = options.targetShape.reduce((a, b) => a * b, 1);
    this.xAt = arena.alloc(capacity * this.inSize);
    this.yAt = arena.alloc(capacity * this.outSize);
    this.blocks = [...exchange.flatMap((s) => [s.params, s.grads]), this.xAt, this.yAt];
    this.slots = exchange.map((s) => ({
      key: s.key,
      param: params.get(s.key)!.data,
      exParams: arena.view(s.params, s.floats),
      exGrads: arena.view(s.grads, s.floats),
    }));
    this.x1 = { shape: [0, ...options.inputShape], data: new Float32Array(0) };
    this.y1 = { shape: [0, ...options.targetShape], data: new Float32Array(0) };
    const init: HelperInit = {
      doc,
      options,
      control,
      memory: arena.memory.buffer as unknown as SharedArrayBuffer,
      slots: exchange,
      x: this.xAt,
      y: this.yAt,
      inSize: this.inSize,
      outSize: this.outSize,
      capacity,
    };
    this.stopHelper = spawn(init).stop;
  }

  /** True once the helper has compiled its model (until then steps run on one thread). */
  get ready(): boolean {
    return Atomics.load(this.control, STATE) === READY;
  }

  /**
   * One step on two threads, or null when this batch stays on one (the helper not ready, a batch
   * of 1, or a half larger than the exchange holds). `own` is the model's one-thread lossAndGrads.
   */
  lossAndGrads(x: Tensor, y: Tensor, own: (x: Tensor, y: Tensor) => Result): Result | null {
    const rows = x.shape[0] as number;
    const second = rows >> 1;
    const first = rows - second;
    if (second < 1 || second > this.capacity || !this.ready) return null;
    for (const s of this.slots) s.exParams.set(s.param);
    this.copyRows(x.data, first, second, this.inSize, this.xAt);
    this.copyRows(y.data, first, second, this.outSize, this.yAt);
    const control = this.control;
    Atomics.store(control, ROWS, second);
    const seq = ++this.seq;
    Atomics.store(control, SEQ, seq);
    Atomics.notify(control, SEQ);
    // NOTE: the first rows are read in place: a model reads only the rows its batch size says.
    this.x1.shape[0] = first;
    this.x1.data = x.data;
    this.y1.shape[0] = first;
    this.y1.data = y.data;
    const r = own(this.x1, this.y1);
    const deadline = performance.now() + HELPER_TIMEOUT_MS;
    for (;;) {
      const done = Atomics.load(control, DONE);
      if (done === seq) break;
      if (Atomics.load(control, STATE) === FAILED || performance.now() > deadline)
        throw new Error('the helper thread of a two-thread model stopped: compile the model with threads: 1');
      Atomics.wait(control, DONE, done, 100);
    }
    const a = first / rows;
    const b = second / rows;
    for (const s of this.slots) {
      const g = r.grads.get(s.key)!.data;
      const n = g.length;
      const ex = s.exGrads;
      for (let i = simdScaleAdd(g, ex, n, a, b); i < n; i++) g[i] = a * (g[i] as number) + b * (ex[i] as number);
    }
    r.loss = a * r.loss + b * (this.helperLoss[0] as number);
    return r;
  }

  /** Copies rows [from, from + count) of src into the exchange at `at` (within the arena when src lives there). */
  private copyRows(src: Float32Array, from: number, count: number, size: number, at: number): void {
    const heap = this.arena.heap;
    const srcAt = this.arena.offsetOf(src);
    if (srcAt >= 0) heap.copyWithin(at, srcAt + from * size, srcAt + (from + count) * size);
    else for (let i = 0, n = count * size, o = from * size; i < n; i++) heap[at + i] = src[o + i] as number;
  }

  /** Ends the helper thread and gives the exchange back. */
  stop(): void {
    Atomics.store(this.control, STOP, 1);
    Atomics.add(this.control, SEQ, 1);
    Atomics.notify(this.control, SEQ);
    this.stopHelper();
    for (const at of this.blocks) this.arena.free(at);
    this.blocks.length = 0;
  }
}
