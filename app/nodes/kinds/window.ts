// How a window size or stride (n or [h, w]) reads in a node: "5×5", "2×3"; a stride "1" or "2×1".

export function windowText(v: number | readonly number[], stride = false): string {
  const [h, w] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  return stride && h === w ? String(h) : `${h}×${w}`;
}
