// Iterative topological order (Kahn) and cycle extraction — no recursion, so graph depth is not
// limited by the call stack.

export interface TopoResult {
  /** Nodes in a valid order; nodes on or after a cycle are missing. */
  order: string[];
  /** Each cycle found, as the node ids along it. */
  cycles: string[][];
}

/**
 * @param ids node ids in document order (ties keep this order, so the result is deterministic)
 * @param links directed edges as [from, to]
 */
export function topologicalOrder(ids: readonly string[], links: readonly (readonly [string, string])[]): TopoResult {
  const indegree = new Map<string, number>(ids.map((id) => [id, 0]));
  const next = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const [from, to] of links) {
    if (!indegree.has(from) || !indegree.has(to)) continue;
    next.get(from)!.push(to);
    indegree.set(to, indegree.get(to)! + 1);
  }
  const queue = ids.filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    order.push(id);
    for (const to of next.get(id)!) {
      const d = indegree.get(to)! - 1;
      indegree.set(to, d);
      if (d === 0) queue.push(to);
    }
  }
  const cycles: string[][] = [];
  if (order.length < ids.length) {
    // Every remaining node has a remaining predecessor: walk predecessors until one repeats.
    const remaining = new Set(ids.filter((id) => indegree.get(id)! > 0));
    const prev = new Map<string, string>();
    for (const [from, to] of links) if (remaining.has(from) && remaining.has(to) && !prev.has(to)) prev.set(to, from);
    const done = new Set<string>();
    for (const start of remaining) {
      if (done.has(start)) continue;
      const seenAt = new Map<string, number>();
      const path: string[] = [];
      let at: string | undefined = start;
      while (at !== undefined && !seenAt.has(at) && !done.has(at)) {
        seenAt.set(at, path.length);
        path.push(at);
        at = prev.get(at);
      }
      if (at !== undefined && seenAt.has(at)) cycles.push(path.slice(seenAt.get(at)).reverse());
      for (const id of path) done.add(id);
    }
  }
  return { order, cycles };
}
