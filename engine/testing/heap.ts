// Memory helpers for tests: heap growth of one call (the "nothing allocated once warm" tests of
// kernels and models), and the bytes of a float array.

/**
 * Median heap growth of one call, measured around each of 51 calls (no GC in between). With `below`:
 * up to 3 such rounds, until one's median is under it; the least is returned. NOTE: V8 optimises hot
 * code on a background thread; until it has, calls run code that allocates its temporaries (iterators,
 * small objects: a few hundred bytes to a few KB a call) where optimised code allocates nothing. On a
 * loaded machine that can last into the first round (the conv test failed 1 run in 3); an allocation
 * of the code itself shows in every round.
 */
export function bytesPerCall(run: () => void, below = Number.POSITIVE_INFINITY): number {
  let least = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3 && least >= below; round++) {
    const deltas: number[] = [];
    for (let i = 0; i < 51; i++) {
      const before = process.memoryUsage().heapUsed;
      run();
      deltas.push(process.memoryUsage().heapUsed - before);
    }
    least = Math.min(least, deltas.sort((x, y) => x - y)[25]!);
  }
  return least;
}

/**
 * The bytes of a float array as a Buffer. NOTE: a model's arrays may be views into a larger
 * memory (the WebAssembly arena), so `data.buffer` alone is not the array's bytes.
 */
export function bytes(data: Float32Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
