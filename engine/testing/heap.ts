// Memory helpers for tests: heap growth of one call (the "nothing allocated once warm" tests of
// kernels and models), and the bytes of a float array.

/** Median heap growth of one call, measured around each of 51 calls (no GC in between). */
export function bytesPerCall(run: () => void): number {
  const deltas: number[] = [];
  for (let i = 0; i < 51; i++) {
    const before = process.memoryUsage().heapUsed;
    run();
    deltas.push(process.memoryUsage().heapUsed - before);
  }
  return deltas.sort((x, y) => x - y)[25]!;
}

/**
 * The bytes of a float array as a Buffer. NOTE: a model's arrays may be views into a larger
 * memory (the WebAssembly arena), so `data.buffer` alone is not the array's bytes.
 */
export function bytes(data: Float32Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
