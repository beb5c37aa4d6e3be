// CPU time for the tests that compare how work grows (a chain of 8k nodes against 1k): the process's
// CPU time leaves out what other processes take from a loaded machine, which wall time counts in full.

/**
 * The least CPU milliseconds (user + system, this process) of `repeats` runs of `run`.
 *
 * @example
 * const t1 = leastCpuMs(() => analyse(small), 5);
 */
export function leastCpuMs(run: () => void, repeats: number): number {
  let least = Number.POSITIVE_INFINITY;
  for (let r = 0; r < repeats; r++) {
    const before = process.cpuUsage();
    run();
    const used = process.cpuUsage(before);
    least = Math.min(least, (used.user + used.system) / 1000);
  }
  return least;
}
