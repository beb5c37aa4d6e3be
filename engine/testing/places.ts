// Where a kernel test puts its operands: ordinary arrays, or views into the shared WebAssembly
// arena (which the SIMD kernels read and write in place), each followed by guard values that a
// kernel writing past its output would change.
import { sharedArena } from '../kernels/wasm/arena.ts';

const GUARD = 12345;

export interface Placement {
  name: string;
  /** A copy of `a` where this placement keeps operands. */
  put(a: Float32Array): Float32Array;
  /** Indexes of guard values changed since the last call (and forgets them). */
  overwritten(): number[];
}

export function placements(): Placement[] {
  const list: Placement[] = [{ name: 'arrays', put: (a) => a, overwritten: () => [] }];
  const arena = sharedArena();
  if (!arena) return list;
  const guards: Float32Array[] = [];
  const blocks: number[] = [];
  list.push({
    name: 'arena',
    put(a) {
      const at = arena.alloc(a.length + 8);
      blocks.push(at);
      const v = arena.view(at, a.length);
      v.set(a);
      guards.push(arena.view(at + a.length, 8).fill(GUARD));
      return v;
    },
    overwritten() {
      const bad = guards.flatMap((g, i) => ([...g].every((v) => v === GUARD) ? [] : [i]));
      guards.length = 0;
      for (const at of blocks.splice(0)) arena.free(at);
      return bad;
    },
  });
  return list;
}
