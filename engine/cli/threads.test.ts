// `--threads` of `nodegrad train` and `nodegrad sweep`: parsed, passed to the trainer, and the
// thread count a run ended on reported in the JSON summary (1 for XOR under auto, 2 when asked).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.ts';

const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/nodegrad.mjs', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const lastJson = (out: string) => JSON.parse(out.trim().split('\n').pop()!);

describe('--threads', () => {
  it('takes a whole number or auto, for train and sweep, not for export', () => {
    expect(parseArgs(['train', 'g.json', '--threads', '2'])).toMatchObject({ threads: 2 });
    expect(parseArgs(['train', 'g.json', '--threads', 'auto'])).toMatchObject({ threads: 'auto' });
    expect(parseArgs(['train', 'g.json'])).not.toHaveProperty('threads');
    expect(parseArgs(['sweep', 'g.json', '--vary', 'h.units=1,2', '--threads', '1'])).toMatchObject({ threads: 1 });
    for (const bad of ['0', '-1', '1.5', 'two', ''])
      expect(() => parseArgs(['train', 'g.json', '--threads', bad]), bad).toThrow(/--threads needs/);
    expect(() => parseArgs(['export', 'g.json', '--to', 'onnx', '--out', 'x', '--threads', '2'])).toThrow(
      /unknown option '--threads' for export/,
    );
  });

  it('XOR stays on one thread under auto; the MNIST MLP runs on two when asked, and trains', () => {
    const xor = run('train', 'public/examples/xor.json', '--epochs', '50', '--json');
    expect(xor.code, xor.err).toBe(0);
    expect(lastJson(xor.out).threads).toBe(1);
    const dir = mkdtempSync(join(tmpdir(), 'nodegrad-threads-'));
    const doc = JSON.parse(readFileSync('public/examples/mnist.json', 'utf8'));
    doc.training.epochs = 2;
    const file = join(dir, 'mnist.json');
    writeFileSync(file, JSON.stringify(doc));
    const two = run('train', file, '--threads', '2', '--json');
    expect(two.code, two.err).toBe(0);
    const summary = lastJson(two.out);
    expect(summary.threads).toBe(2);
    expect(summary.testAccuracy).toBeGreaterThan(0.8);
  });
});
