// A compiled model's side of two-thread steps: starting its helper thread (engine/parallel/threads.ts)
// with what the helper compiles and lays out, and ending that thread when the model is collected.
import type { Tensor } from '../tensor.ts';
import { sharedArena } from '../kernels/wasm/arena.ts';
import { batchSplits, DataParallel } from '../parallel/threads.ts';
import type { Structure } from './analyze.ts';
import { planArrays } from './plan.ts';

/** Ends a collected model's helper thread. */
const threadsRegistry =
  typeof FinalizationRegistry === 'undefined' ? null : new FinalizationRegistry<DataParallel>((p) => p.stop());

/**
 * The helper thread of `model` (compiled from `structure`, `doc` without weights, `seed`), or null
 * where none can run: no shared arena, or a graph whose batch cannot be split (buffers, masks).
 */
export function startHelperThread(
  model: { readonly params: ReadonlyMap<string, Tensor>; readonly buffers: ReadonlyMap<string, Tensor> },
  structure: Structure,
  doc: unknown,
  seed: number,
): DataParallel | null {
  const arena = sharedArena();
  const splits = batchSplits(
    model.buffers.size,
    structure.order.map((n) => n.type),
  );
  if (!arena || !splits) return null;
  const { shapes } = structure;
  const inputShape = shapes.get(structure.input!.id)!;
  const targetShape = shapes.get(structure.inputsOf.get(structure.loss!.id)!.get('pred')!.node)!;
  const parallel = DataParallel.start(
    arena,
    doc,
    { seed, inputShape, targetShape },
    model.params,
    planArrays(structure),
  );
  if (parallel) threadsRegistry?.register(model, parallel);
  return parallel;
}
