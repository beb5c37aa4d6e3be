// MNIST from public/data/mnist.bin (written by scripts/ensure-data.mjs from the `mnist` package):
// bytes 0-3 "NGMN", 4-7 version 1, 8-11 count, 12-15 pixels per image, then labels (u8), then pixels (u8).
import type { Rng } from '../prng.ts';
import type { Samples } from './split.ts';

export interface MnistData {
  count: number;
  /** One digit 0-9 per image. */
  labels: Uint8Array;
  /** count × 784 grey levels 0-255, row-major 28×28. */
  pixels: Uint8Array;
}

const PIXELS = 784;
const HEADER = 16;

/** Validates and views the packed MNIST file (no copy). */
export function decodeMnist(bytes: Uint8Array): MnistData {
  const bad = (why: string) =>
    new Error(`mnist.bin is not a nodegrad MNIST file: ${why}; regenerate it with \`npm run data\``);
  if (bytes.length < HEADER) throw bad('too short');
  if (bytes[0] !== 0x4e || bytes[1] !== 0x47 || bytes[2] !== 0x4d || bytes[3] !== 0x4e) throw bad('wrong magic');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(4, true) !== 1) throw bad(`unknown version ${view.getUint32(4, true)}`);
  const count = view.getUint32(8, true);
  if (view.getUint32(12, true) !== PIXELS) throw bad('images are not 28×28');
  if (bytes.length !== HEADER + count + count * PIXELS)
    throw bad(`expected ${HEADER + count * 785} bytes, got ${bytes.length}`);
  return {
    count,
    labels: bytes.subarray(HEADER, HEADER + count),
    pixels: bytes.subarray(HEADER + count, HEADER + count + count * PIXELS),
  };
}

/**
 * A seeded selection of `train + test` digits: pixels / 255, one-hot labels, or with
 * `binaryDigit` a single 0/1 target "is it that digit?". The first `train` go to training.
 */
export function mnistSamples(data: MnistData, total: number, rng: Rng, binaryDigit?: number): Samples {
  if (total > data.count) throw new Error(`asked for ${total} MNIST digits but the file holds ${data.count}`);
  const order = Uint32Array.from({ length: data.count }, (_, i) => i);
  rng.shuffle(order);
  const classes = binaryDigit === undefined ? 10 : 1;
  const x = new Float32Array(total * PIXELS);
  const y = new Float32Array(total * classes);
  for (let r = 0; r < total; r++) {
    const i = order[r] as number;
    const src = i * PIXELS;
    for (let p = 0; p < PIXELS; p++) x[r * PIXELS + p] = (data.pixels[src + p] as number) / 255;
    const label = data.labels[i] as number;
    if (binaryDigit === undefined) y[r * 10 + label] = 1;
    else y[r] = label === binaryDigit ? 1 : 0;
  }
  return { n: total, inShape: [PIXELS], outShape: [classes], x, y };
}
