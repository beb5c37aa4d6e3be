import { afterEach, describe, expect, it } from 'vitest';
import { getStepKernels, setStepKernels } from '../kernels/backend.ts';
import { createRng } from '../prng.ts';
import { placements } from '../testing/places.ts';
import { gatherRows } from './gather.ts';

describe('gatherRows', () => {
  // Short rows (copied float by float), rows through views, and when the batch lives in the arena
  // step.wat's memory.copy (or copyWithin without the SIMD kernels); sources inside and outside the arena.
  const simd = getStepKernels();
  afterEach(() => setStepKernels(simd));
  for (const kernels of ['step.wat', 'no step kernels'])
    for (const size of [1, 3, 16, 784])
      for (const src of placements())
        for (const dst of placements())
          it(`copies the rows in the given order: ${size} floats a row, ${src.name} → ${dst.name}, ${kernels}`, () => {
            if (kernels !== 'step.wat') setStepKernels(null);
            const n = 37;
            const rng = createRng(size);
            const data = src.put(Float32Array.from({ length: n * size }, () => rng.uniform()));
            const order = Uint32Array.from({ length: n }, (_, i) => (i * 11) % n);
            for (const [start, rows] of [
              [0, 5],
              [5, 5],
              [30, 7],
            ] as const) {
              const out = dst.put(new Float32Array(rows * size));
              gatherRows(data, size, order, start, rows, out);
              for (let r = 0; r < rows; r++) {
                const i = order[start + r]!;
                expect([...out.subarray(r * size, (r + 1) * size)]).toEqual([
                  ...data.subarray(i * size, (i + 1) * size),
                ]);
              }
            }
            expect(dst.overwritten()).toEqual([]);
            expect(src.overwritten()).toEqual([]);
          });
});
