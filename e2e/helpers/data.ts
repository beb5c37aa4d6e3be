// The cat/non-cat files and a graph that learns them, for the browser tests and the screenshots.
import { makeCatFixture } from '../../engine/data/testing/catFixture.ts';
import { graph } from '../../engine/testing/checkGradients.ts';

/** train_catvnoncat.h5 and test_catvnoncat.h5 lookalikes (40 + 20 learnable 64×64×3 images), as Playwright file payloads. */
export async function catFiles() {
  const { train, test } = await makeCatFixture();
  const h5 = (name: string, bytes: Uint8Array) => ({
    name,
    mimeType: 'application/x-hdf5',
    buffer: Buffer.from(bytes),
  });
  return [h5('train_catvnoncat.h5', train), h5('test_catvnoncat.h5', test)];
}

/** Input → Flatten → Dense(8) → relu → Dense(1) → sigmoid → binary cross-entropy, Adam 1e-3, 30 epochs. */
export function catGraph(): string {
  const doc = graph(
    [
      ['in', 'input', { dataset: { kind: 'xor' } }],
      ['f', 'flatten', {}],
      ['h', 'dense', { units: 8 }],
      ['ha', 'activation', { fn: 'relu' }],
      ['o', 'dense', { units: 1 }],
      ['oa', 'activation', { fn: 'sigmoid' }],
      ['L', 'loss', { fn: 'binary_cross_entropy' }],
    ],
    [
      ['in', 'f'],
      ['f', 'h'],
      ['h', 'ha'],
      ['ha', 'o'],
      ['o', 'oa'],
      ['oa', 'L.pred'],
      ['in.y', 'L.target'],
    ],
  );
  doc.name = 'Cat or not';
  doc.training = { optimizer: { type: 'adam', learningRate: 0.001 }, batchSize: 16, epochs: 30, seed: 1 };
  return JSON.stringify(doc);
}
