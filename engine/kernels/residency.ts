// Where a compiled model's (and its optimizer's) arrays live: in the shared WebAssembly arena when there is one (so the
// SIMD kernels read and write parameters, gradients and activations in place, with nothing copied
// into or out of WebAssembly), else in ordinary arrays. Blocks are given back when a plan is
// dropped, and all of them when the model is garbage-collected.
import type { Tensor } from '../tensor.ts';
import { type Arena, sharedArena } from './wasm/arena.ts';

/** The arena blocks of one model: one group for the parameters, one per plan. */
class Blocks {
  readonly groups = new Set<number[]>();
  constructor(readonly arena: Arena) {}
  freeAll(): void {
    for (const group of this.groups) for (const at of group) this.arena.free(at);
    this.groups.clear();
  }
}

const registry =
  typeof FinalizationRegistry === 'undefined' ? null : new FinalizationRegistry<Blocks>((blocks) => blocks.freeAll());

export class Residency {
  private readonly blocks: Blocks | null;

  /** `owner`: the model; its blocks are freed when it is collected. */
  constructor(owner: object) {
    const arena = sharedArena();
    this.blocks = arena ? new Blocks(arena) : null;
    if (this.blocks) registry?.register(owner, this.blocks);
  }

  /** The arena the arrays live in, or null (ordinary arrays). */
  get arena(): Arena | null {
    return this.blocks?.arena ?? null;
  }

  /** A new group of arrays freed together (a plan's). */
  group(): number[] {
    const group: number[] = [];
    this.blocks?.groups.add(group);
    return group;
  }

  /** `n` zeroed floats, in the arena when there is one (recorded in `group`). */
  floats(n: number, group: number[]): Float32Array {
    if (!this.blocks) return new Float32Array(n);
    const at = this.blocks.arena.alloc(n);
    group.push(at);
    return this.blocks.arena.view(at, n);
  }

  /** Gives every array back (a helper thread's model, before the thread serves another). */
  releaseAll(): void {
    this.blocks?.freeAll();
  }

  /** Gives a group's arrays back; they must not be used afterwards. */
  release(group: number[]): void {
    if (!this.blocks) return;
    for (const at of group) this.blocks.arena.free(at);
    group.length = 0;
    this.blocks.groups.delete(group);
  }
}

/**
 * A training step's input batch in the arena. A batch given from elsewhere (a caller's own array) is
 * copied in once per step; the forward product and the weights' gradient then both read it in place,
 * where each copied it before (MNIST 784-64-10, batch 100: two copies of 78,400 floats, ≈ 26 µs each,
 * ≈ 10% of a step). A batch already in the arena (the trainer's) is used as it is. The copy grows to the
 * largest batch seen; nothing is allocated per step once warm.
 */
/** Batches smaller than this (in floats) are read where they are. */
const RESIDENT_MIN_FLOATS = 4096;

export class ResidentBatch {
  private group: number[] | null = null;
  private block: Float32Array = new Float32Array(0);
  private view: Float32Array = this.block;
  private readonly tensor: Tensor = { shape: [], data: this.view };

  constructor(private readonly memory: Residency) {}

  /** x itself, or the same rows in the arena. */
  of(x: Tensor, floats: number): Tensor {
    const arena = this.memory.arena;
    // NOTE: a small batch (XOR's 8 floats) feeds products the TypeScript kernels run (simdKernels.ts,
    // SMALL): copying it would only cost (XOR's step 1.1 → 1.3–1.5 µs).
    if (!arena || floats < RESIDENT_MIN_FLOATS || arena.offsetOf(x.data) >= 0) return x;
    if (this.block.length < floats) {
      if (this.group) this.memory.release(this.group);
      this.group = this.memory.group();
      this.block = this.memory.floats(floats, this.group);
    }
    if (
      this.view.length !== floats ||
      this.view.buffer !== this.block.buffer ||
      this.view.byteOffset !== this.block.byteOffset
    )
      this.view = this.block.subarray(0, floats);
    this.view.set(x.data.length === floats ? x.data : x.data.subarray(0, floats));
    this.tensor.shape = x.shape;
    this.tensor.data = this.view;
    return this.tensor;
  }
}
