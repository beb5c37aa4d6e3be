// A compiled model's side of two-thread steps: starting its helper thread (shared memory:
// engine/parallel/threads.ts; messages: engine/parallel/messages.ts) with what the helper compiles
// and lays out, and ending that thread when the model is collected.
import type { Tensor } from '../tensor.ts';
import { sharedArena } from '../kernels/wasm/arena.ts';
import { MessagePassing } from '../parallel/messages.ts';
import { batchSplits, DataParallel } from '../parallel/threads.ts';
import type { Structure } from './analyze.ts';
import { planArrays } from './plan.ts';

/** Ends a collected model's helper thread. */
const threadsRegistry =
  typeof FinalizationRegistry === 'undefined' ? null : new FinalizationRegistry<DataParallel>((p) => p.stop());

/** The per-sample input and target shapes of a compiled structure (what a helper compiles with). */
function shapesOf(structure: Structure): { inputShape: number[]; targetShape: number[] } {
  const { shapes } = structure;
  const inputShape = shapes.get(structure.input!.id)!;
  const targetShape = shapes.get(structure.inputsOf.get(structure.loss!.id)!.get('pred')!.node)!;
  return { inputShape, targetShape };
}

/** True when the batch of `model` (compiled from `structure`) can be split between two threads. */
function splits(model: { readonly buffers: ReadonlyMap<string, Tensor> }, structure: Structure): boolean {
  return batchSplits(
    model.buffers.size,
    structure.order.map((n) => n.type),
  );
}

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
  if (!arena || !splits(model, structure)) return null;
  const parallel = DataParallel.start(
    arena,
    doc,
    { seed, ...shapesOf(structure) },
    model.params,
    planArrays(structure),
  );
  if (parallel) threadsRegistry?.register(model, parallel);
  return parallel;
}

/** Ends a collected model's message helper. */
const messagesRegistry =
  typeof FinalizationRegistry === 'undefined' ? null : new FinalizationRegistry<MessagePassing>((p) => p.stop());

/**
 * The message helper of `model` (two threads without shared memory: engine/parallel/messages.ts),
 * or null where none can start (no message spawner) or the graph's batch cannot be split.
 */
export function startMessageHelper(
  model: {
    readonly params: ReadonlyMap<string, Tensor>;
    readonly buffers: ReadonlyMap<string, Tensor>;
    paramGrads(): ReadonlyMap<string, Tensor>;
  },
  structure: Structure,
  doc: unknown,
  seed: number,
): MessagePassing | null {
  if (!splits(model, structure)) return null;
  const helper = MessagePassing.start(doc, { seed, ...shapesOf(structure) }, model.params, model.paramGrads());
  if (helper) messagesRegistry?.register(model, helper);
  return helper;
}
