// Where a compiled model's (and its optimizer's) arrays live: in the shared WebAssembly arena when there is one (so the
// SIMD kernels read and write parameters, gradients and activations in place, with nothing copied
// into or out of WebAssembly), else in ordinary arrays. Blocks are given back when a plan is
// dropped, and all of them when the model is garbage-collected.
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
