// A compiled model's side of two-thread steps: its helper (none, a thread sharing its memory:
// engine/parallel/threads.ts, or one that gets messages: engine/parallel/messages.ts) started with
// what the helper compiles and lays out, as CompileOptions.threads says, and ended when the model
// is released or collected.
import type { Tensor } from '../tensor.ts';
import { sharedArena } from '../kernels/wasm/arena.ts';
import { MessagePassing } from '../parallel/messages.ts';
import { batchSplits, DataParallel, threadsFor } from '../parallel/threads.ts';
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

/** What a model gives its helpers: parameters (read or sent), buffers (none where the batch splits), gradients (added to). */
interface HelpedModel {
  readonly params: ReadonlyMap<string, Tensor>;
  readonly buffers: ReadonlyMap<string, Tensor>;
  paramGrads(): ReadonlyMap<string, Tensor>;
}

/** A compiled model's helper for two-thread steps, started and ended as CompileOptions.threads says. */
export class ModelHelpers {
  /** The helper thread sharing the model's memory (lossAndGrads uses it), or null. */
  memory: DataParallel | null = null;
  /** The helper that gets messages where memory cannot be shared (lossAndGradsAsync uses it), or null. */
  messages: MessagePassing | null = null;
  /** The document (without weights) and seed a helper compiles, set by compile. */
  private source: { doc: unknown; seed: number } | null = null;

  constructor(
    private readonly model: HelpedModel,
    private readonly structure: Structure,
  ) {}

  setSource(doc: unknown, seed: number): void {
    this.source = { doc, seed };
  }

  /** Starts a helper (on shared memory where one can run, else by messages) or ends it ('auto': by the step's size). */
  set(threads: number | 'auto'): void {
    const { step } = this.structure.analysis;
    if (threadsFor(threads, step.multiplyAddsPerSample * step.batch) !== 2) this.stop();
    else if (this.source && !this.memory && !this.messages) {
      const { doc, seed } = this.source;
      this.memory = startHelperThread(this.model, this.structure, doc, seed);
      if (!this.memory) this.messages = startMessageHelper(this.model, this.structure, doc, seed);
    }
  }

  stop(): void {
    this.memory?.stop();
    this.memory = null;
    this.messages?.stop();
    this.messages = null;
  }

  /** How two threads work together once the helper is ready, else undefined (one thread). */
  get by(): 'memory' | 'messages' | undefined {
    if (this.memory?.ready) return 'memory';
    return this.messages?.ready ? 'messages' : undefined;
  }

  /** Resolves once the helper is ready or gave up (at once without one). */
  async whenReady(): Promise<void> {
    await (this.memory ?? this.messages)?.whenReady();
  }
}
