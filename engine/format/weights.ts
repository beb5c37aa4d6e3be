// Tensors in documents: little-endian float32 bytes, base64. Works in Node and browsers
// (atob/btoa are global in both) without Buffer.
import { sizeOf, type Tensor } from '../tensor.ts';
import type { EncodedTensor, GraphWeights } from './types.ts';

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const CHUNK = 0x8000;

function bytesOf(data: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i] as number, true);
  return out;
}

/** Encodes a tensor for a document's `weights`. */
export function encodeTensor(t: Tensor): EncodedTensor {
  const bytes = bytesOf(t.data);
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return { dtype: 'float32', shape: [...t.shape], base64: btoa(binary) };
}

/** Decodes an encoded tensor; throws when the byte count does not match the shape. */
export function decodeTensor(e: EncodedTensor): Tensor {
  const binary = atob(e.base64);
  const size = sizeOf(e.shape);
  if (binary.length !== size * 4) {
    throw new Error(`tensor of shape [${e.shape.join(', ')}] needs ${size * 4} bytes, got ${binary.length}`);
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = view.getFloat32(i * 4, true);
  return { shape: [...e.shape], data };
}

/** All saved parameters of a document, keyed "<nodeId>.W" / "<nodeId>.b" like Model.params. */
export function decodeWeights(weights: GraphWeights): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const [nodeId, params] of Object.entries(weights)) {
    for (const [name, encoded] of Object.entries(params)) out.set(`${nodeId}.${name}`, decodeTensor(encoded));
  }
  return out;
}

/** Groups "<nodeId>.<name>" parameters into a document's `weights` object. */
export function encodeWeights(params: ReadonlyMap<string, Tensor>): GraphWeights {
  const grouped = new Map<string, [string, EncodedTensor][]>();
  for (const [key, t] of params) {
    const dot = key.lastIndexOf('.');
    const nodeId = key.slice(0, dot);
    const list = grouped.get(nodeId) ?? [];
    list.push([key.slice(dot + 1), encodeTensor(t)]);
    grouped.set(nodeId, list);
  }
  return Object.fromEntries([...grouped].map(([id, list]) => [id, Object.fromEntries(list)]));
}
