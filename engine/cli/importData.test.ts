// `nodegrad import-data` end to end: the cat/non-cat files into a graph, then `nodegrad train`.
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import { beforeAll, describe, expect, it } from 'vitest';
import { importSizeProblem, MAX_IMPORT_BYTES } from '../data/size.ts';
import { makeCatFixture } from '../data/testing/catFixture.ts';
import { parseGraph } from '../format/parse.ts';
import { graph } from '../testing/checkGradients.ts';
import { parseArgs } from './args.ts';
import { lastJson, runCli, spawnCli } from './testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'nodegrad-import-'));
const train = join(dir, 'train_catvnoncat.h5');
const test = join(dir, 'test_catvnoncat.h5');

/** Input → [Flatten] → Dense(8) → relu → Dense(1) → sigmoid → binary cross-entropy. */
function catGraph(flatten: boolean): string {
  const nodes: Parameters<typeof graph>[0] = [['in', 'input', { dataset: { kind: 'xor' } }]];
  if (flatten) nodes.push(['f', 'flatten', {}]);
  const doc = graph(
    [
      ...nodes,
      ['h', 'dense', { units: 8 }],
      ['ha', 'activation', { fn: 'relu' }],
      ['o', 'dense', { units: 1 }],
      ['oa', 'activation', { fn: 'sigmoid' }],
      ['L', 'loss', { fn: 'binary_cross_entropy' }],
    ],
    [
      ...(flatten
        ? [
            ['in', 'f'],
            ['f', 'h'],
          ]
        : [['in', 'h']]),
      ['h', 'ha'],
      ['ha', 'o'],
      ['o', 'oa'],
      ['oa', 'L.pred'],
      ['in.y', 'L.target'],
    ] as [string, string][],
  );
  doc.training = { optimizer: { type: 'adam', learningRate: 0.001 }, batchSize: 16, epochs: 30, seed: 1 };
  const file = join(dir, flatten ? 'cat-graph.json' : 'no-flatten.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

beforeAll(async () => {
  const files = await makeCatFixture({ train: 60, test: 30, seed: 1 });
  writeFileSync(train, files.train);
  writeFileSync(test, files.test);
});

describe('nodegrad import-data', () => {
  it('imports the cat/non-cat HDF5 files into the Input node; the graph then trains to ≥ 90 % test accuracy', async () => {
    const out = join(dir, 'cat-data.json');
    const r = await runCli('import-data', train, '--test', test, '--into', catGraph(true), '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /^imported 60 images 64×64×3, 2 classes \(non-cat, cat\), test 30 in \d+\.\d\d s; wrote .*cat-data\.json \(\d+\.\d MB\)\n$/,
    );
    const doc = parseGraph(JSON.parse(readFileSync(out, 'utf8')));
    const input = doc.nodes[0]!;
    expect(input.type === 'input' && input.data.dataset?.kind).toBe('arrays');
    const t = await runCli('train', out, '--json');
    expect(t.code, t.err).toBe(0);
    const summary = lastJson(t.out);
    expect(summary.testAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(summary.seconds).toBeLessThan(10);
  });

  it('hints at a Flatten node when the Input feeds a Dense with image-shaped samples', async () => {
    const r = await runCli('import-data', train, '--into', catGraph(false), '--out', join(dir, 'hint.json'));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(
      "hint: Dense 'h' takes a vector per sample but gets [64, 64, 3]: insert a Flatten node before it",
    );
  });

  it('imports an image folder at --size and a CSV with --target', async () => {
    const images = join(dir, 'images');
    for (const [cls, v] of [
      ['dark', 0],
      ['light', 255],
    ] as const) {
      mkdirSync(join(images, cls), { recursive: true });
      for (const i of [1, 2])
        writeFileSync(
          join(images, cls, `${i}.png`),
          encodePng({ width: 8, height: 6, data: new Uint8Array(8 * 6).fill(v), channels: 1, depth: 8 }),
        );
    }
    writeFileSync(join(images, 'readme.txt'), 'a,b\n1,2\n');
    const r = await runCli(
      'import-data',
      images,
      '--size',
      '4x3',
      '--into',
      catGraph(true),
      '--out',
      join(dir, 'img.json'),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^imported 4 images 3×4×3, 2 classes \(dark, light\), test 1 \(20% held out\)/);
    expect(r.out).toContain('Ignored 1 file that is not PNG or JPEG: readme.txt\n');
    const csv = join(dir, 'data.csv');
    writeFileSync(csv, 'a,b,kind\n1,2,x\n3,4,y\n5,6,x\n');
    const c = await runCli(
      'import-data',
      csv,
      '--target',
      'kind',
      '--into',
      catGraph(true),
      '--out',
      join(dir, 'csv.json'),
    );
    expect(c.code, c.err).toBe(0);
    expect(c.out).toMatch(/^imported 3 rows, 2 features, 2 classes \(x, y\), test 1 \(20% held out\) in /);
  });

  it('exits 2 naming the problem: a file over 50 MB, an unknown dataset name, a bad --size, a bad CSV', async () => {
    const huge = join(dir, 'huge.h5');
    const fd = openSync(huge, 'w');
    ftruncateSync(fd, MAX_IMPORT_BYTES + 1); // sparse: no disk space, no time
    closeSync(fd);
    const into = catGraph(true);
    const out = join(dir, 'x.json');
    expect(await runCli('import-data', huge, '--into', into, '--out', out)).toMatchObject({
      code: 2,
      err: `nodegrad: ${importSizeProblem('huge.h5', MAX_IMPORT_BYTES + 1)}\n`,
    });
    const unknown = await runCli('import-data', train, '--x', 'images', '--into', into, '--out', out);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toBe(
      "nodegrad: train_catvnoncat.h5 has no dataset 'images' (it has: /list_classes, /train_set_x, /train_set_y)\n",
    );
    const size = await runCli('import-data', train, '--size', '64', '--into', into, '--out', out);
    expect(size.code).toBe(2);
    expect(size.err).toContain("--size needs WIDTHxHEIGHT with sides 1 to 1024, e.g. 64x64 (got '64')");
    // A cut-off HDF5 file: one line, no HDF5-DIAG stack of the C library on stderr.
    const cut = join(dir, 'cut.h5');
    writeFileSync(cut, readFileSync(train).subarray(0, 3000));
    // NOTE: in a process of its own: the library writes to the stderr it found at start, not to console.error.
    expect(spawnCli('import-data', cut, '--into', into, '--out', out)).toMatchObject({
      code: 2,
      err: expect.stringMatching(
        /^nodegrad: cut\.h5 is not a readable HDF5 file \(truncated file: eof = 3000[^\n]*\)\n$/,
      ),
    });
    const csv = join(dir, 'bad.csv');
    writeFileSync(csv, 'a,b\n1,2\n3\n');
    expect(await runCli('import-data', csv, '--into', into, '--out', out)).toMatchObject({
      code: 2,
      err: 'nodegrad: CSV row 3 has 1 fields, the header has 2\n',
    });
  });

  it('parses its arguments', async () => {
    expect(parseArgs(['import-data', 'd', '--into', 'g.json', '--out', 'o.json', '--size', '32x16'])).toEqual({
      command: 'import-data',
      source: 'd',
      into: 'g.json',
      out: 'o.json',
      size: { width: 32, height: 16 },
    });
    expect(() => parseArgs(['import-data', 'd.h5', '--out', 'o.json'])).toThrow(
      'import-data needs --into <graph.json>',
    );
    expect(() => parseArgs(['import-data', 'd.h5', '--into', 'g', '--out', 'o', '--test-x', 'a'])).toThrow(
      '--test-x and --test-y need --test FILE',
    );
    expect(() => parseArgs(['import-data', 'd.h5', '--into', 'g', '--out', 'o', '--size', '0x5'])).toThrow(
      "--size needs WIDTHxHEIGHT with sides 1 to 1024, e.g. 64x64 (got '0x5')",
    );
  });
});
