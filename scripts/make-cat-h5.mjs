// Writes train_catvnoncat.h5 and test_catvnoncat.h5 lookalikes (engine/data/testing/catFixture.ts)
// into a folder: `node --import tsx scripts/make-cat-h5.mjs <dir> [--train N] [--test N] [--seed N]`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { makeCatFixture } from '../engine/data/testing/catFixture.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { train: { type: 'string' }, test: { type: 'string' }, seed: { type: 'string' } },
});
const dir = positionals[0];
if (!dir) {
  console.error('usage: node --import tsx scripts/make-cat-h5.mjs <dir> [--train N] [--test N] [--seed N]');
  process.exit(2);
}
const count = (v) => (v === undefined ? undefined : Number(v));
const { train, test } = await makeCatFixture({
  train: count(values.train),
  test: count(values.test),
  seed: count(values.seed),
});
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'train_catvnoncat.h5'), train);
writeFileSync(join(dir, 'test_catvnoncat.h5'), test);
console.log(
  `wrote ${join(dir, 'train_catvnoncat.h5')} (${train.length} bytes), ${join(dir, 'test_catvnoncat.h5')} (${test.length} bytes)`,
);
