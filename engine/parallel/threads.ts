// Data-parallel training steps on two threads: lossAndGrads gives the last rows of each batch to a
// helper thread (engine/parallel/helper.ts) running the same graph on the same parameters. The
// helper adopts this thread's shared WebAssembly arena, so nothing is copied per step: it reads the
// parameters and its rows of the batch in place, writes its activations and output gradients into
// its rows of this thread's plan (so every view covers the whole batch), and leaves its parameter
// gradients beside ours; we add them (the loss's gradient is scaled for the whole batch in both
// halves). The threads meet through Atomics on a small shared control block, no messages per step.
// The result equals one thread's up to float32 summation order.
import type { Plan } from '../compiler/plan.ts';
import { type NodeType, nodeDefinition } from '../nodes/index.ts';
import type { Tensor } from '../tensor.ts';
import type { Arena } from '../kernels/wasm/arena.ts';
import {
  controlBytes,
  DONE,
  FAILED,
  FROM,
  GRADS_AT,
  type HelperInit,
  layoutAt,
  LOSS_AT,
  PLAN,
  READY,
  ROWS,
  SEQ,
  type SharedParam,
  STARTING,
  STATE,
  STOP,
  TOTAL,
  X_AT,
  Y_AT,
} from './exchange.ts';
import { addGradients, HELPER_TIMEOUT_MS, helperRows, meanOfHalves } from './halves.ts';
import { messageThreads } from './messages.ts';

/** Starts a helper thread with `init`; `stop` ends it. Set by the environment (engine/node.ts, the app's worker). */
export type ThreadSpawner = (init: HelperInit) => { stop(): void };

let spawner: ThreadSpawner | null = null;
/** Cores the environment has (given with its spawner). */
let cores = 1;

/**
 * Installs how helper threads start here and how many cores there are (os.availableParallelism(),
 * navigator.hardwareConcurrency); null: no threads (models ask for them in vain).
 */
export function setThreadSpawner(next: ThreadSpawner | null, environment: { cores?: number } = {}): void {
  spawner = next;
  cores = Math.max(1, Math.floor(environment.cores ?? 2));
}

/** True when models compiled here can get a helper thread (a spawner is installed and memory can be shared). */
export function canStartThreads(): boolean {
  return spawner !== null && typeof SharedArrayBuffer !== 'undefined';
}

/**
 * Training steps with fewer multiply-adds (forward and backward, the whole batch) stay on one thread
 * under `threads: 'auto'`. NOTE: measured on the 2-core machine (README, Performance): handing half
 * a step to the helper and meeting it again costs ≈ 40–50 µs (under load: a woken thread waits for
 * a core), and the halves only win when each is several times that; the MNIST MLP (15 M per step
 * of 100) ran as fast or slower on two threads, the ConvNetJS-layout CNN (48 M per step of 20) faster.
 */
export const TWO_THREADS_MIN_MULTIPLY_ADDS = 20_000_000;

/**
 * The same for two threads by messages (no shared memory: engine/parallel/messages.ts), whose
 * hand-over costs more than Atomics: the parameters and the helper's half of the batch one way, its
 * gradients and its rows of every plan array back, each copied (and the messages' latency, ≈ 30 µs
 * in Chromium). NOTE: measured on the 2-core machine on 2026-12-04 at load ≈ 1.4: the MNIST MLP
 * (15 M per step of 100) ran slower on two (0.87× in Node, 0.70× in a Chromium worker without
 * isolation), the ConvNetJS-layout CNN (48 M per step of 20) faster (1.62× in Node, 1.47× in
 * Chromium); at load 8 the CNN still gained in Node (≈ 1.4×, medians) but lost in Chromium (0.77×).
 */
export const TWO_THREADS_BY_MESSAGES_MIN_MULTIPLY_ADDS = 40_000_000;

/**
 * True when a graph's batch can be split between threads: no node keeps batch statistics (buffers:
 * they would be per half) or draws random masks (they would differ between the halves).
 */
export function batchSplits(bufferCount: number, nodeTypes: Iterable<NodeType>): boolean {
  if (bufferCount > 0) return false;
  for (const type of nodeTypes) if (nodeDefinition(type).layer?.op.mask) return false;
  return true;
}

/**
 * How many threads to ask for (compile's `threads`, default 'auto') for a step of `multiplyAdds`: 1
 * or 2. 'auto' takes two by shared memory where helper threads can start, else by messages where a
 * message spawner is installed, each above its threshold.
 */
export function threadsFor(requested: number | 'auto' | undefined, multiplyAdds: number): 1 | 2 {
  if (requested !== undefined && requested !== 'auto') return requested >= 2 ? 2 : 1;
  if (canStartThreads()) return cores >= 2 && multiplyAdds >= TWO_THREADS_MIN_MULTIPLY_ADDS ? 2 : 1;
  const messages = messageThreads();
  return messages.available && messages.cores >= 2 && multiplyAdds >= TWO_THREADS_BY_MESSAGES_MIN_MULTIPLY_ADDS ? 2 : 1;
}

/** The training thread's side; null from `start` where no helper can run (no spawner, no shared arena). */
export class DataParallel {
  private readonly control: Int32Array;
  private readonly helperLoss: Float64Array;
  private readonly params: { key: string; own: Float32Array }[];
  private readonly shared: SharedParam[];
  private readonly layout: Int32Array;
  private readonly inSize: number;
  private readonly outSize: number;
  private readonly stopHelper: () => void;
  /** The helper's gradients (views made once it is ready), in `params` order. */
  private helperGrads: Float32Array[] | null = null;
  /** The plan (and split) whose layout the helper has. */
  private sentPlan: Plan | null = null;
  private sentFrom = -1;
  /** Where the helper's rows go when the batch does not live in the arena (grown as needed). */
  private exchange = -1;
  private exchangeFloats = 0;
  private seq = 0;

  static start(
    arena: Arena,
    doc: unknown,
    options: { seed?: number; inputShape: number[]; targetShape: number[] },
    params: ReadonlyMap<string, Tensor>,
    arrays: number,
  ): DataParallel | null {
    if (!spawner || !arena.shared) return null;
    for (const t of params.values()) if (arena.offsetOf(t.data) < 0) return null;
    return new DataParallel(spawner, arena, doc, options, params, arrays);
  }

  private constructor(
    spawn: ThreadSpawner,
    private readonly arena: Arena,
    doc: unknown,
    options: { seed?: number; inputShape: number[]; targetShape: number[] },
    params: ReadonlyMap<string, Tensor>,
    arrays: number,
  ) {
    this.shared = [...params].map(([key, t]) => ({ key, at: arena.offsetOf(t.data), floats: t.data.length }));
    this.params = [...params].map(([key, t]) => ({ key, own: t.data }));
    const control = new SharedArrayBuffer(controlBytes(this.shared.length, arrays));
    this.control = new Int32Array(control);
    this.helperLoss = new Float64Array(control, LOSS_AT, 1);
    this.layout = this.control.subarray(layoutAt(this.shared.length), layoutAt(this.shared.length) + arrays);
    this.inSize = options.inputShape.reduce((a, b) => a * b, 1);
    this.outSize = options.targetShape.reduce((a, b) => a * b, 1);
    const init: HelperInit = { doc, options, control, memory: arena.memory, params: this.shared, arrays };
    this.stopHelper = spawn(init).stop;
  }

  /** True once the helper has compiled its model (until then steps run on one thread). */
  get ready(): boolean {
    return Atomics.load(this.control, STATE) === READY;
  }

  /** Resolves once the helper is ready (true) or failed or took longer than `timeoutMs` (false). */
  async whenReady(timeoutMs = HELPER_TIMEOUT_MS): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const state = Atomics.load(this.control, STATE);
      if (state !== STARTING) return state === READY;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      // NOTE: a poll, not Atomics.waitAsync: Node does not stay alive for the latter's promise.
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /**
   * One step on two threads: `own(rows)` runs this thread's first rows of `plan` (a step over the
   * whole batch's plan, the loss's gradient scaled for all its rows), the helper the rest; their
   * parameter gradients are added into `grads`. Returns the batch's mean loss, or null when this
   * batch stays on one thread (the helper not ready, a batch of 1).
   */
  lossAndGrads(
    plan: Plan,
    x: Tensor,
    y: Tensor,
    grads: ReadonlyMap<string, Tensor>,
    own: (rows: number) => number,
  ): number | null {
    const rows = plan.batch;
    const second = helperRows(rows);
    const first = rows - second;
    if (second < 1 || !this.ready) return null;
    const control = this.control;
    if (plan !== this.sentPlan || first !== this.sentFrom) {
      this.layout.set(plan.memory);
      this.sentPlan = plan;
      this.sentFrom = first;
      control[FROM] = first;
      control[PLAN] = (control[PLAN]! + 1) | 0;
    }
    control[ROWS] = second;
    control[TOTAL] = rows;
    control[X_AT] = this.rowsAt(x.data, first, second, this.inSize, 0);
    control[Y_AT] = this.rowsAt(y.data, first, second, this.outSize, second * this.inSize);
    const seq = ++this.seq;
    Atomics.store(control, SEQ, seq);
    Atomics.notify(control, SEQ);
    const lossOwn = own(first);
    const deadline = performance.now() + HELPER_TIMEOUT_MS;
    for (;;) {
      const done = Atomics.load(control, DONE);
      if (done === seq) break;
      if (Atomics.load(control, STATE) === FAILED || performance.now() > deadline)
        throw new Error('the helper thread of a two-thread model stopped: compile the model with threads: 1');
      Atomics.wait(control, DONE, done, 100);
    }
    const theirs = this.helperGrads ?? this.viewHelperGrads();
    for (let p = 0; p < theirs.length; p++) addGradients(grads.get(this.params[p]!.key)!.data, theirs[p]!);
    return meanOfHalves(first, lossOwn, second, this.helperLoss[0] as number);
  }

  private viewHelperGrads(): Float32Array[] {
    this.helperGrads = this.shared.map((p, i) => this.arena.view(this.control[GRADS_AT + i]!, p.floats));
    return this.helperGrads;
  }

  /**
   * Float offset of rows [from, from + count) of src in the arena: in place when src lives there,
   * else copied into the exchange block at `at` floats.
   */
  private rowsAt(src: Float32Array, from: number, count: number, size: number, at: number): number {
    const srcAt = this.arena.offsetOf(src);
    if (srcAt >= 0) return srcAt + from * size;
    const need = count * (this.inSize + this.outSize);
    if (need > this.exchangeFloats) {
      if (this.exchange >= 0) this.arena.free(this.exchange);
      this.exchange = this.arena.alloc(need);
      this.exchangeFloats = need;
    }
    const heap = this.arena.heap;
    const to = this.exchange + at;
    for (let i = 0, n = count * size, o = from * size; i < n; i++) heap[to + i] = src[o + i] as number;
    return to;
  }

  /** Ends the helper's work for this model (its thread may serve another) and gives the exchange back. */
  stop(): void {
    if (Atomics.load(this.control, STOP)) return;
    Atomics.store(this.control, STOP, 1);
    Atomics.add(this.control, SEQ, 1);
    Atomics.notify(this.control, SEQ);
    this.stopHelper();
    if (this.exchange >= 0) this.arena.free(this.exchange);
    this.exchange = -1;
  }
}
