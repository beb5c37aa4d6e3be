// Runs a computation with a model's parameters temporarily set to other values (a timeline
// snapshot), then puts the live values back, so a paused run continues exactly where it was.
import type { Tensor } from '../../engine/index.ts';

export function withParams<T>(
  params: ReadonlyMap<string, Tensor>,
  values: ReadonlyMap<string, Float32Array>,
  fn: () => T,
): T {
  const live = new Map<string, Float32Array>();
  for (const [key, v] of values) {
    const p = params.get(key);
    if (!p || p.data.length !== v.length) continue;
    live.set(key, p.data.slice());
    p.data.set(v);
  }
  try {
    return fn();
  } finally {
    for (const [key, v] of live) params.get(key)!.data.set(v);
  }
}
