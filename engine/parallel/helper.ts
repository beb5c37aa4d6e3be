// The helper thread of a data-parallel model: compiles the same graph, then waits for steps. Each
// step it copies the training thread's parameters, runs lossAndGrads on its half of the batch and
// writes its gradients and loss back. Environment-free: engine/node.ts (worker_threads) and the
// app's worker start it with the HelperInit they were given.
import { compile } from '../compiler/compile.ts';
import { parseGraph } from '../format/parse.ts';
import type { Tensor } from '../tensor.ts';
import { DONE, FAILED, type HelperInit, LOSS_AT, READY, ROWS, SEQ, STATE, STOP } from './exchange.ts';

/** Runs until the training thread sets STOP (or it fails: STATE = FAILED, and the training thread goes on alone). */
export function runHelper(init: HelperInit): void {
  const control = new Int32Array(init.control, 0, 8);
  const loss = new Float64Array(init.control, LOSS_AT, 1);
  try {
    const model = compile(parseGraph(init.doc), init.options);
    const shared = new Float32Array(init.memory);
    const pairs = init.slots.map((s) => {
      const own = model.params.get(s.key);
      if (!own || own.data.length !== s.floats) throw new Error(`helper: parameter ${s.key} does not match`);
      return {
        key: s.key,
        own: own.data,
        params: shared.subarray(s.params, s.params + s.floats),
        grads: shared.subarray(s.grads, s.grads + s.floats),
      };
    });
    const inputs = new Map<number, { x: Tensor; y: Tensor }>();
    const batchOf = (rows: number) => {
      let b = inputs.get(rows);
      if (!b) {
        const o = init.options;
        b = {
          x: {
            shape: [rows, ...(o.inputShape ?? [init.inSize])],
            data: shared.subarray(init.x, init.x + rows * init.inSize),
          },
          y: {
            shape: [rows, ...(o.targetShape ?? [init.outSize])],
            data: shared.subarray(init.y, init.y + rows * init.outSize),
          },
        };
        inputs.set(rows, b);
      }
      return b;
    };
    Atomics.store(control, STATE, READY);
    Atomics.notify(control, STATE);
    let seen = Atomics.load(control, SEQ);
    for (;;) {
      Atomics.wait(control, SEQ, seen);
      seen = Atomics.load(control, SEQ);
      if (Atomics.load(control, STOP)) return;
      for (const p of pairs) p.own.set(p.params);
      const { x, y } = batchOf(Atomics.load(control, ROWS));
      const r = model.lossAndGrads(x, y);
      for (const p of pairs) p.grads.set(r.grads.get(p.key)!.data);
      loss[0] = r.loss;
      Atomics.store(control, DONE, seen);
      Atomics.notify(control, DONE);
    }
  } catch (e) {
    Atomics.store(control, STATE, FAILED);
    Atomics.notify(control, DONE);
    throw e;
  }
}
