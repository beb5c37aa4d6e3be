// Synthetic files in the exact layout of the well-known train_catvnoncat.h5 / test_catvnoncat.h5:
// `<split>_set_x` [N, 64, 64, 3] uint8, `<split>_set_y` [N] int64, `list_classes` [2] byte strings
// (b'non-cat', b'cat'). Cats carry a bright disc near the middle of a noisy background, so the class
// is learnable by a small dense network.
import { createRng, type Rng } from '../../prng.ts';

export interface CatFixtureOptions {
  train?: number;
  test?: number;
  /** Image side in pixels (the real files have 64). */
  size?: number;
  seed?: number;
}

/** One image: noise in 0-120, plus for a cat a disc of radius size/4 in 200-255 near the middle (± size/8). */
function drawImage(rng: Rng, size: number, cat: boolean, out: Uint8Array): void {
  for (let i = 0; i < out.length; i++) out[i] = rng.int(121);
  if (!cat) return;
  const r = size / 4;
  const [cx, cy] = [size / 2 + rng.range(-size / 8, size / 8), size / 2 + rng.range(-size / 8, size / 8)];
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r)
        for (let c = 0; c < 3; c++) out[(y * size + x) * 3 + c] = 200 + rng.int(56);
}

let written = 0;

/** One HDF5 file of `n` images, classes alternating (seeded), as bytes. */
async function catFile(split: 'train' | 'test', n: number, size: number, rng: Rng): Promise<Uint8Array> {
  // NOTE: imported on first use, as engine/data/hdf5.ts does: the app's bundle stays without h5wasm's 4 MB.
  const { default: h5wasm } = await import('h5wasm');
  const { FS } = await h5wasm.ready;
  const x = new Uint8Array(n * size * size * 3);
  const y = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    const cat = rng.uniform() < 0.5;
    y[i] = cat ? 1n : 0n;
    drawImage(rng, size, cat, x.subarray(i * size * size * 3, (i + 1) * size * size * 3));
  }
  const path = `/nodegrad-fixture-${++written}.h5`;
  const f = new h5wasm.File(path, 'w');
  f.create_dataset({ name: `${split}_set_x`, data: x, shape: [n, size, size, 3], dtype: '<B' });
  f.create_dataset({ name: `${split}_set_y`, data: y, shape: [n], dtype: '<q' });
  f.create_dataset({ name: 'list_classes', data: ['non-cat', 'cat'], shape: [2], dtype: 'S7' });
  f.close();
  const bytes = FS.readFile(path);
  FS.unlink(path);
  return bytes;
}

/**
 * Bytes of `train_catvnoncat.h5` and `test_catvnoncat.h5` lookalikes (default 40 and 20 images).
 *
 * @example
 * const { train, test } = await makeCatFixture({ seed: 1 });
 */
export async function makeCatFixture(o: CatFixtureOptions = {}): Promise<{ train: Uint8Array; test: Uint8Array }> {
  const rng = createRng(o.seed ?? 1);
  const size = o.size ?? 64;
  const train = await catFile('train', o.train ?? 40, size, rng);
  const test = await catFile('test', o.test ?? 20, size, rng);
  return { train, test };
}
