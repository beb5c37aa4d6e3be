import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../compiler/compile.ts';
import { loadDataset } from '../datasets/index.ts';
import { parseGraph } from '../format/parse.ts';
import { parseArgs } from './args.ts';

const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/nodegrad.mjs', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const dir = mkdtempSync(join(tmpdir(), 'nodegrad-cli-'));

describe('nodegrad CLI', () => {
  it('trains XOR and prints one JSON summary as the last line', () => {
    const out = join(dir, 'xor-trained.json');
    const r = run('train', 'public/examples/xor.json', '--json', '--out', out);
    expect(r.code, r.err).toBe(0);
    const summary = JSON.parse(r.out.trim().split('\n').pop()!);
    expect(summary).toMatchObject({ epochs: 2000, trainAccuracy: 1, testAccuracy: 1 });
    expect(summary.loss).toBeLessThan(0.01);
    expect(summary.seconds).toBeGreaterThan(0);
    // --out writes a valid document whose weights reproduce the loss
    const trained = parseGraph(JSON.parse(readFileSync(out, 'utf8')));
    expect(Object.keys(trained.weights!)).toEqual(['h', 'o']);
    const model = compile(trained);
    const data = loadDataset({ kind: 'xor' }, { seed: 1 });
    expect(model.loss(data.train.x, data.train.y)).toBeCloseTo(summary.loss, 6);
  });

  it('honours --epochs and prints progress lines when not on a terminal', () => {
    const r = run('train', 'public/examples/and.json', '--epochs', '40');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/epoch 40\/40 loss/);
    expect(r.out).toMatch(/trained 40 epochs/);
  });

  it('exits 2 with the problems for a missing file, invalid JSON and an invalid or uncompilable graph', () => {
    expect(run('train', join(dir, 'missing.json'))).toMatchObject({
      code: 2,
      err: expect.stringMatching(/cannot read .*ENOENT/),
    });
    writeFileSync(join(dir, 'bad.json'), '{"format": ');
    expect(run('train', join(dir, 'bad.json'))).toMatchObject({
      code: 2,
      err: expect.stringMatching(/is not valid JSON/),
    });
    const doc = JSON.parse(readFileSync('public/examples/xor.json', 'utf8'));
    doc.nodes[1].data.units = -3;
    writeFileSync(join(dir, 'invalid.json'), JSON.stringify(doc));
    expect(run('train', join(dir, 'invalid.json')).err).toMatch(/nodes\[1\]\.data\.units: must be at least 1/);
    doc.nodes[1].data.units = 3;
    doc.edges = doc.edges.filter((e: { id: string }) => e.id !== 'e3');
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(doc));
    const r = run('train', join(dir, 'broken.json'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/o: Dense 'o' has nothing connected to its 'in' input/);
  });

  it('exits 1 and names the node when training hits NaN/Infinity', () => {
    const doc = JSON.parse(readFileSync('public/examples/function-fit.json', 'utf8'));
    doc.training.optimizer = { type: 'sgd', learningRate: 1e6 };
    writeFileSync(join(dir, 'nan.json'), JSON.stringify(doc));
    const r = run('train', join(dir, 'nan.json'), '--epochs', '5');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/training stopped at epoch 1: .*\(node '\w+'\)/);
  });

  it('parses arguments strictly', () => {
    expect(parseArgs(['train', 'g.json', '--epochs', '3', '--json'])).toEqual({
      command: 'train',
      file: 'g.json',
      epochs: 3,
      json: true,
    });
    expect(() => parseArgs(['train', 'g.json', '--epochs', 'x'])).toThrow('--epochs needs a whole number ≥ 1');
    expect(() => parseArgs(['fly'])).toThrow("unknown command 'fly'");
    expect(parseArgs(['--help'])).toEqual({ command: 'help' });
  });
});
