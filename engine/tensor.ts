/** A dense row-major float32 tensor. `data.length` equals the product of `shape`. */
export interface Tensor {
  shape: number[];
  data: Float32Array;
}

/** Number of elements of a shape (1 for a scalar `[]`). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** A new zero-filled tensor. */
export function zeros(shape: readonly number[]): Tensor {
  return { shape: [...shape], data: new Float32Array(sizeOf(shape)) };
}

/** Wraps existing data; throws when the sizes disagree. */
export function tensor(shape: readonly number[], data: Float32Array | readonly number[]): Tensor {
  const array = data instanceof Float32Array ? data : Float32Array.from(data);
  if (array.length !== sizeOf(shape)) {
    throw new Error(`tensor: shape [${shape.join(', ')}] needs ${sizeOf(shape)} values, got ${array.length}`);
  }
  return { shape: [...shape], data: array };
}
