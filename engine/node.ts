// Node-only helpers (files on disk). Never imported by engine/index.ts, which browsers bundle.
import { readFileSync } from 'node:fs';
import { decodeMnist, type MnistData } from './datasets/mnist.ts';
// @ts-expect-error: a plain ES module script without type declarations
import { ensureMnist } from '../scripts/ensure-data.mjs';

let cached: MnistData | undefined;

/** The 10,000 MNIST digits from public/data/mnist.bin, generated first when missing. */
export function loadMnistFile(): MnistData {
  if (!cached) {
    const path = (ensureMnist as (o: { quiet: boolean }) => string)({ quiet: true });
    const bytes = readFileSync(path);
    cached = decodeMnist(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
  return cached;
}
