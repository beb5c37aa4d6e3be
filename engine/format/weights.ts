// Tensors in documents: little-endian float32 bytes, base64. Works in Node and browsers without
// Buffer. NOTE: base64 is coded here with a table, not with btoa/atob: a 50M-parameter model is
// 200 MB of bytes, which Node's btoa took 10 s to encode (and atob's byte string doubled the memory).
import { sizeOf, type Tensor } from '../tensor.ts';
import type { EncodedTensor, GraphWeights } from './types.ts';

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ENCODE = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
/** Character code (any UTF-16 unit) → its 6 bits, or 255: one lookup, no range check, in the hot loop. */
const DECODE = new Uint8Array(65536).fill(255);
for (let i = 0; i < 64; i++) DECODE[ENCODE[i] as number] = i;
const ASCII = new TextDecoder();

/** Little-endian bytes of float32 values (a view where the platform is little-endian). */
export function float32Bytes(data: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i] as number, true);
  return out;
}

/** Standard base64 with padding. */
export function encodeBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(4 * Math.ceil(n / 3));
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out[o++] = ENCODE[v >> 18] as number;
    out[o++] = ENCODE[(v >> 12) & 63] as number;
    out[o++] = ENCODE[(v >> 6) & 63] as number;
    out[o++] = ENCODE[v & 63] as number;
  }
  if (i < n) {
    const two = i + 1 < n;
    const v = ((bytes[i] as number) << 16) | (two ? (bytes[i + 1] as number) << 8 : 0);
    out[o++] = ENCODE[v >> 18] as number;
    out[o++] = ENCODE[(v >> 12) & 63] as number;
    out[o++] = two ? (ENCODE[(v >> 6) & 63] as number) : 61;
    out[o++] = 61;
  }
  return ASCII.decode(out);
}

/** Bytes of base64 text, padded or not; throws on any other character or a length no encoder makes. */
export function decodeBase64(text: string): Uint8Array {
  let end = text.length;
  if (end % 4 === 0 && text.charCodeAt(end - 1) === 61) end -= text.charCodeAt(end - 2) === 61 ? 2 : 1;
  if (end % 4 === 1) throw new Error('not valid base64');
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  const six = (k: number) => {
    const v = DECODE[text.charCodeAt(k)] as number;
    if (v > 63) throw new Error(`not valid base64 (character ${k + 1})`);
    return v;
  };
  let o = 0;
  let k = 0;
  // NOTE: inlined lookups, checked once per 4 characters: a 12 MB image set is 16M characters.
  for (; k + 3 < end; k += 4) {
    const a = DECODE[text.charCodeAt(k)] as number;
    const b = DECODE[text.charCodeAt(k + 1)] as number;
    const c = DECODE[text.charCodeAt(k + 2)] as number;
    const d = DECODE[text.charCodeAt(k + 3)] as number;
    if ((a | b | c | d) > 63) for (let j = k; j < k + 4; j++) six(j);
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 255;
    out[o++] = v & 255;
  }
  if (k < end) {
    const v = (six(k) << 18) | (six(k + 1) << 12) | (k + 2 < end ? six(k + 2) << 6 : 0);
    out[o++] = v >> 16;
    if (k + 2 < end) out[o++] = (v >> 8) & 255;
  }
  return out;
}

/** Decoded byte length of a base64 string without decoding it (padding optional); -1 when malformed. */
export function base64ByteLength(b64: string): number {
  // NOTE: counted, not b64.replace(/=+$/, ''): weights can be a 267 MB string.
  let body = b64.length;
  while (body > 0 && b64.charCodeAt(body - 1) === 61) body--;
  if (body % 4 === 1 || (b64.length !== body && b64.length % 4 !== 0)) return -1;
  return Math.floor((body * 3) / 4);
}

/** Encodes a tensor for a document's `weights`. */
export function encodeTensor(t: Tensor): EncodedTensor {
  return { dtype: 'float32', shape: [...t.shape], base64: encodeBase64(float32Bytes(t.data)) };
}

/** Decodes an encoded tensor; throws when the byte count does not match the shape. */
export function decodeTensor(e: EncodedTensor): Tensor {
  const bytes = decodeBase64(e.base64);
  const size = sizeOf(e.shape);
  if (bytes.length !== size * 4) {
    throw new Error(`tensor of shape [${e.shape.join(', ')}] needs ${size * 4} bytes, got ${bytes.length}`);
  }
  if (LITTLE_ENDIAN) return { shape: [...e.shape], data: new Float32Array(bytes.buffer, 0, size) };
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
