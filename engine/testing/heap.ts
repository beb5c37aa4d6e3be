// Heap growth of one call, for the "nothing allocated once warm" tests of kernels and models.

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
