// The helper thread of a data-parallel model: adopts the training thread's WebAssembly memory as
// its arena, compiles the same graph with its parameters placed on the training thread's (read in
// place, never copied), then waits for steps. Each step it runs its rows of the batch through a
// plan whose arrays are those rows of the training thread's plan, and leaves its gradients and loss
// for the training thread to add. Environment-free: engine/node.ts (worker_threads) and the app's
// worker start it with the HelperInit they were given.
import { compileHelperModel } from '../compiler/compile.ts';
import type { Plan } from '../compiler/plan.ts';
import { parseGraph } from '../format/parse.ts';
import { adoptSharedArena } from '../kernels/wasm/arena.ts';
import type { Tensor } from '../tensor.ts';
import {
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
  STATE,
  STOP,
  TOTAL,
  X_AT,
  Y_AT,
} from './exchange.ts';

/** Plans and batch views kept for layouts seen (a full batch, the epoch's last partial one, …). */
const KEEP = 8;

/**
 * Runs until the training thread sets STOP (or it fails: STATE = FAILED, and the training thread
 * goes on alone). The thread may then run the next model's helper (spawners keep idle helpers).
 */
export function runHelper(init: HelperInit): void {
  const control = new Int32Array(init.control);
  const loss = new Float64Array(init.control, LOSS_AT, 1);
  try {
    const arena = adoptSharedArena(init.memory);
    const paramsAt = new Map(init.params.map((p) => [p.key, p.at]));
    const model = compileHelperModel(parseGraph(init.doc), init.options, paramsAt);
    const grads = model.paramGrads();
    init.params.forEach((p, i) => {
      const g = grads.get(p.key);
      if (!g || g.data.length !== p.floats) throw new Error(`helper: parameter ${p.key} does not match`);
      control[GRADS_AT + i] = arena.offsetOf(g.data);
    });
    const layout = control.subarray(layoutAt(init.params.length), layoutAt(init.params.length) + init.arrays);
    const inputShape = init.options.inputShape ?? [];
    const targetShape = init.options.targetShape ?? [];
    const inSize = inputShape.reduce((a, b) => a * b, 1);
    const outSize = targetShape.reduce((a, b) => a * b, 1);
    const plans = new Map<string, Plan>();
    const batches = new Map<string, { x: Tensor; y: Tensor }>();
    let plan: Plan | null = null;
    let batch: { x: Tensor; y: Tensor } | null = null;
    const batchAt = [-1, -1, -1];
    let planSeen = -1;
    Atomics.store(control, STATE, READY);
    Atomics.notify(control, STATE);
    let seen = Atomics.load(control, SEQ);
    for (;;) {
      // NOTE: STOP may be set before the first wait (a model dropped while this thread compiled).
      if (Atomics.load(control, STOP)) break;
      Atomics.wait(control, SEQ, seen);
      seen = Atomics.load(control, SEQ);
      if (Atomics.load(control, STOP)) break;
      const rows = control[ROWS]!;
      const from = control[FROM]!;
      if (control[PLAN] !== planSeen || !plan) {
        planSeen = control[PLAN]!;
        const key = `${rows}:${from}:${layout.join(',')}`;
        plan = plans.get(key) ?? model.rowsPlan(rows, from, layout);
        remember(plans, key, plan);
      }
      const xAt = control[X_AT]!;
      const yAt = control[Y_AT]!;
      // NOTE: the trainer's batch buffers stay put: a key is built only when the rows move.
      if (!batch || xAt !== batchAt[0] || yAt !== batchAt[1] || rows !== batchAt[2]) {
        batchAt[0] = xAt;
        batchAt[1] = yAt;
        batchAt[2] = rows;
        const key = `${rows}:${xAt}:${yAt}`;
        batch = batches.get(key) ?? {
          x: { shape: [rows, ...inputShape], data: arena.view(xAt, rows * inSize) },
          y: { shape: [rows, ...targetShape], data: arena.view(yAt, rows * outSize) },
        };
        remember(batches, key, batch);
      }
      loss[0] = model.trainRows(plan, rows, batch.x, batch.y, control[TOTAL]!);
      Atomics.store(control, DONE, seen);
      Atomics.notify(control, DONE);
    }
    // This thread may serve the next model: its arrays go back to its free blocks.
    model.release();
  } catch (e) {
    Atomics.store(control, STATE, FAILED);
    Atomics.notify(control, DONE);
    throw e;
  }
}

function remember<T>(map: Map<string, T>, key: string, value: T): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > KEEP) map.delete(map.keys().next().value!);
}
