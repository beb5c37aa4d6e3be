import { spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { describe, expect, it, vi } from 'vitest';
import { compile } from '../compiler/compile.ts';
import { loadDataset } from '../datasets/index.ts';
import { parseGraph } from '../format/parse.ts';
import { serializeGraph } from '../format/serialize.ts';
import { encodeTensor } from '../format/weights.ts';
import { documentSizeProblem, MAX_DOCUMENT_BYTES } from '../format/size.ts';
import { renameIds } from '../testing/renameIds.ts';
import { parseArgs, USAGE } from './args.ts';
import { type CliRun, lastJson, runCli, spawnCli } from './testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'nodegrad-cli-'));

describe('nodegrad CLI', () => {
  it('trains XOR and prints one JSON summary as the last line', async () => {
    const out = join(dir, 'xor-trained.json');
    // NOTE: the one run of the bin script itself in its own process, as a user starts it (exit code included).
    const r = spawnCli('train', 'public/examples/xor.json', '--json', '--out', out);
    expect(r.code, r.err).toBe(0);
    const summary = lastJson(r.out);
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

  it('continues a run whose node ids are __proto__ and valueOf from its --out file', async () => {
    const doc = renameIds(
      JSON.parse(readFileSync('public/examples/xor.json', 'utf8')),
      new Map([
        ['h', '__proto__'],
        ['o', 'valueOf'],
      ]),
    );
    writeFileSync(join(dir, 'hostile.json'), JSON.stringify(doc));
    const out = join(dir, 'hostile-trained.json');
    const first = await runCli('train', join(dir, 'hostile.json'), '--json', '--out', out);
    expect(first.code, first.err).toBe(0);
    const trainedLoss = lastJson(first.out).loss;
    expect(trainedLoss).toBeLessThan(0.01);
    expect(Object.keys(JSON.parse(readFileSync(out, 'utf8')).weights)).toEqual(['__proto__', 'valueOf']);
    const again = await runCli('train', out, '--json', '--epochs', '1');
    expect(again.code, again.err).toBe(0);
    expect(lastJson(again.out).loss).toBeLessThan(trainedLoss * 1.5);
  });

  it('honours --epochs and prints progress lines when not on a terminal', async () => {
    const r = await runCli('train', 'public/examples/and.json', '--epochs', '40');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/epoch 40\/40 loss/);
    expect(r.out).toMatch(/trained 40 epochs/);
  });

  it('exits 2 with the problems for a missing file, invalid JSON and an invalid or uncompilable graph', async () => {
    expect(await runCli('train', join(dir, 'missing.json'))).toMatchObject({
      code: 2,
      err: expect.stringMatching(/cannot read .*ENOENT/),
    });
    writeFileSync(join(dir, 'bad.json'), '{"format": ');
    expect(await runCli('train', join(dir, 'bad.json'))).toMatchObject({
      code: 2,
      err: expect.stringMatching(/is not valid JSON/),
    });
    const doc = JSON.parse(readFileSync('public/examples/xor.json', 'utf8'));
    doc.nodes[1].data.units = -3;
    writeFileSync(join(dir, 'invalid.json'), JSON.stringify(doc));
    expect((await runCli('train', join(dir, 'invalid.json'))).err).toMatch(
      /nodes\[1\]\.data\.units: must be at least 1/,
    );
    doc.nodes[1].data.units = 3;
    doc.edges = doc.edges.filter((e: { id: string }) => e.id !== 'e3');
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(doc));
    const r = await runCli('train', join(dir, 'broken.json'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/o: Dense 'o' has nothing connected to its 'in' input/);
  });

  it('exits 1 and names the node when training hits NaN/Infinity', async () => {
    const doc = JSON.parse(readFileSync('public/examples/function-fit.json', 'utf8'));
    doc.training.optimizer = { type: 'sgd', learningRate: 1e6 };
    writeFileSync(join(dir, 'nan.json'), JSON.stringify(doc));
    const r = await runCli('train', join(dir, 'nan.json'), '--epochs', '5', '--json');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/training stopped at epoch 1: .*\(node '\w+'\)/);
    // No epoch finished: no speed to report (it was samples / 1e-9 s).
    const summary = lastJson(r.out);
    expect(summary).toMatchObject({ epochs: 0, stoppedAt: { nodeId: expect.any(String) } });
    expect(summary).not.toHaveProperty('samplesPerSecond');
  });

  it('exits 3 with one line on an internal error, and prints the stack with --debug', async () => {
    // An unexpected fault inside training (not bad input): the clock throws once the CLI has started.
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => {
      throw new TypeError('clock broke');
    });
    let r: CliRun;
    let d: CliRun;
    try {
      r = await runCli('train', 'public/examples/xor.json', '--epochs', '2');
      d = await runCli('train', 'public/examples/xor.json', '--epochs', '2', '--debug');
    } finally {
      clock.mockRestore();
    }
    expect(r.code).toBe(3);
    expect(r.err).toBe('nodegrad: internal error: clock broke (run with --debug for the stack)\n');
    expect(d.code).toBe(3);
    expect(d.err).toMatch(/^nodegrad: internal error: clock broke\n/);
    expect(d.err).toMatch(/TypeError: clock broke\n\s+at /);
    expect(d.err).toMatch(/engine\/cli\/main\.ts/);
  });

  it('checks --out before training: exit 2 naming the path for a missing directory or an unwritable path', async () => {
    const missing = join(dir, 'no-such-dir', 'trained.json');
    const r = await runCli('train', 'public/examples/xor.json', '--epochs', '2000', '--out', missing);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`nodegrad: cannot write ${missing}:`);
    expect(r.err).toMatch(/no-such-dir.* does not exist/);
    expect(r.out).toBe(''); // nothing trained
    // a path under a regular file, and a directory (unwritable even as root)
    const underFile = join(dir, 'file.txt', 'trained.json');
    writeFileSync(join(dir, 'file.txt'), 'x');
    const f = await runCli('train', 'public/examples/xor.json', '--out', underFile);
    expect(f).toMatchObject({ code: 2, out: '' });
    expect(f.err).toContain(`cannot write ${underFile}:`);
    const d = await runCli('train', 'public/examples/xor.json', '--out', dir);
    expect(d).toMatchObject({ code: 2, out: '' });
    expect(d.err).toContain(`cannot write ${dir}: it is a directory`);
  });

  it('every --out is written whole or not at all: a write that fails midway leaves the old file as it was', async () => {
    // `ulimit -f 1` stops writes past 1 KB with EFBIG, as a full disk stops them with ENOSPC.
    const csv = join(dir, 'wide.csv');
    writeFileSync(
      csv,
      `${['a', 'b', 'y'].join(',')}\n${Array.from({ length: 200 }, (_, i) => `${i},${i % 7},${i % 2}`).join('\n')}\n`,
    );
    const invocations: Record<string, (out: string) => string[]> = {
      train: (out) => ['train', 'public/examples/xor.json', '--epochs', '2', '--out', out],
      export: (out) => ['export', 'public/examples/xor.json', '--to', 'pytorch', '--out', out],
      'import-data': (out) => ['import-data', csv, '--into', 'public/examples/xor.json', '--target', 'y', '--out', out],
    };
    const withOut = [...USAGE.matchAll(/nodegrad (\S+) [^\n]*--out/g)].map((m) => m[1]);
    expect(Object.keys(invocations).sort()).toEqual([...new Set(withOut)].sort());
    for (const [command, argv] of Object.entries(invocations)) {
      const sub = mkdtempSync(join(dir, `atomic-${command}-`));
      const target = join(sub, 'model.out');
      const old = `${JSON.stringify({ old: 'x'.repeat(2000) })}\n`;
      writeFileSync(target, old);
      const quoted = [process.execPath, 'bin/nodegrad.mjs', ...argv(target)].map((a) => `'${a}'`).join(' ');
      const r = spawnSync('bash', ['-c', `ulimit -f 1 && exec ${quoted}`], { encoding: 'utf8', timeout: 60_000 });
      expect(r.status, `${command}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(`nodegrad: cannot write ${target}: EFBIG`);
      expect(readFileSync(target, 'utf8'), command).toBe(old);
      expect(readdirSync(sub), command).toEqual(['model.out']);
      // Without the limit the same write replaces the file (one helper for every command: checked once).
      if (command === 'export') {
        expect((await runCli(...argv(target))).code, command).toBe(0);
        expect(readFileSync(target, 'utf8')).toContain('def build_model():');
        expect(readdirSync(sub), command).toEqual(['model.out']);
      }
    }
  });

  it('refuses a file over MAX_DOCUMENT_BYTES with the message the app shows, before reading it', async () => {
    const file = join(dir, 'huge.json');
    const fd = openSync(file, 'w');
    ftruncateSync(fd, MAX_DOCUMENT_BYTES + 1); // sparse: no disk space, no time
    closeSync(fd);
    const r = await runCli('train', file);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`nodegrad: ${file}: ${documentSizeProblem(MAX_DOCUMENT_BYTES + 1)!.message}\n`);
  });

  it('accepts a graph file that starts with a UTF-8 byte order mark', async () => {
    const file = join(dir, 'bom.json');
    writeFileSync(file, `\uFEFF${readFileSync('public/examples/and.json', 'utf8')}`);
    const r = await runCli('train', file, '--epochs', '3', '--json');
    expect(r.code, r.err).toBe(0);
    expect(lastJson(r.out)).toMatchObject({ epochs: 3 });
  });

  it('exports a graph to onnx, pytorch and numpy files, with its saved weights or seeded ones', async () => {
    const doc = parseGraph(JSON.parse(readFileSync('public/examples/xor.json', 'utf8')));
    const trained = compile(doc, { seed: 5 });
    writeFileSync(join(dir, 'xor-weights.json'), JSON.stringify(serializeGraph(doc, trained)));
    for (const [to, ext] of [
      ['onnx', 'onnx'],
      ['pytorch', 'py'],
      ['numpy', 'py'],
    ] as const) {
      const out = join(dir, `xor-${to}.${ext}`);
      const r = await runCli('export', join(dir, 'xor-weights.json'), '--to', to, '--out', out);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(
        new RegExp(`^wrote .*xor-${to}\\.${ext} \\(${to}, [\\d,]+ bytes\\) with its saved weights\n$`),
      );
      const bytes = readFileSync(out);
      if (to === 'onnx') {
        const w = onnxProto.onnx.ModelProto.decode(bytes).graph!.initializer!.find((t) => t.name === 'h_W')!;
        expect(new Float32Array(Uint8Array.from(w.rawData!).buffer)).toEqual(trained.params.get('h.W')!.data);
      } else {
        const text = bytes.toString('utf8');
        expect(text).toContain(to === 'pytorch' ? 'def build_model():' : 'def loss_and_grads(params, x, y):');
        expect(text).toContain(`"h.W": ([2, 3], "${encodeTensor(trained.params.get('h.W')!).base64}")`);
      }
    }
    const seeded = await runCli(
      'export',
      'public/examples/and.json',
      '--to',
      'numpy',
      '--out',
      join(dir, 'and.py'),
      '--seed',
      '4',
    );
    expect(seeded).toMatchObject({ code: 0, out: expect.stringContaining('with weights initialised from seed 4') });
  });

  it('export: exit 2 with a message for a bad --to, a missing --to or --out, an unwritable --out or a bad graph', async () => {
    const bad = await runCli('export', 'public/examples/xor.json', '--to', 'tensorflow', '--out', join(dir, 'x.pb'));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^nodegrad: --to needs one of onnx, pytorch, numpy, not 'tensorflow'\n/);
    expect(await runCli('export', 'public/examples/xor.json', '--out', join(dir, 'x.onnx'))).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^nodegrad: export needs --to onnx\|pytorch\|numpy/),
    });
    expect(await runCli('export', 'public/examples/xor.json', '--to', 'onnx')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^nodegrad: export needs --out FILE/),
    });
    const missing = join(dir, 'no-such-dir', 'x.onnx');
    expect(await runCli('export', 'public/examples/xor.json', '--to', 'onnx', '--out', missing)).toMatchObject({
      code: 2,
      err: expect.stringContaining(`nodegrad: cannot write ${missing}:`),
    });
    const unwired = JSON.parse(readFileSync('public/examples/xor.json', 'utf8'));
    unwired.edges = unwired.edges.filter((e: { id: string }) => e.id !== 'e3');
    writeFileSync(join(dir, 'unwired.json'), JSON.stringify(unwired));
    expect(
      await runCli('export', join(dir, 'unwired.json'), '--to', 'onnx', '--out', join(dir, 'b.onnx')),
    ).toMatchObject({
      code: 2,
      err: expect.stringMatching(/does not compile:\n.*o: Dense 'o' has nothing connected to its 'in' input/),
    });
    expect(
      await runCli('export', 'public/examples/xor.json', '--to', 'onnx', '--out', join(dir, 'e.onnx'), '--epochs', '3'),
    ).toMatchObject({ code: 2, err: expect.stringMatching(/unknown option '--epochs' for export/) });
  });

  it('parses arguments strictly', async () => {
    expect(parseArgs(['train', 'g.json', '--epochs', '3', '--json'])).toEqual({
      command: 'train',
      file: 'g.json',
      epochs: 3,
      json: true,
    });
    expect(() => parseArgs(['train', 'g.json', '--epochs', 'x'])).toThrow('--epochs needs a whole number ≥ 1');
    expect(() => parseArgs(['fly'])).toThrow("unknown command 'fly'");
    expect(parseArgs(['--help'])).toEqual({ command: 'help' });
    expect(parseArgs([])).toEqual({ command: 'help' });
    expect(parseArgs(['help'])).toEqual({ command: 'help' });
    expect(parseArgs(['train', 'g.json', '-h'])).toEqual({ command: 'help' });
    expect(parseArgs(['train', '--seed', '0', 'g.json', '--out', 'o.json', '--epochs', '2', '--epochs', '5'])).toEqual({
      command: 'train',
      file: 'g.json',
      epochs: 5,
      seed: 0,
      out: 'o.json',
      json: false,
    });
    expect(() => parseArgs(['train', 'g.json', '--epochs'])).toThrow('--epochs needs a whole number ≥ 1');
    expect(() => parseArgs(['train', 'g.json', '--epochs', '0'])).toThrow('--epochs needs a whole number ≥ 1');
    expect(() => parseArgs(['train', 'g.json', '--epochs', '2.5'])).toThrow('--epochs needs a whole number ≥ 1');
    expect(() => parseArgs(['train', 'g.json', '--seed', '-1'])).toThrow('--seed needs a whole number ≥ 0');
    expect(() => parseArgs(['train', 'g.json', '--out'])).toThrow('--out needs a file name');
    expect(() => parseArgs(['train', 'g.json', '--fast'])).toThrow("unknown option '--fast'");
    expect(() => parseArgs(['train', 'g.json', '-x'])).toThrow("unknown option '-x'");
    expect(() => parseArgs(['train', 'g.json', 'h.json'])).toThrow("unexpected argument 'h.json'");
    expect(() => parseArgs(['train', '--json'])).toThrow('train needs a graph file');
    expect(parseArgs(['export', 'g.json', '--to', 'pytorch', '--out', 'g.py', '--seed', '2'])).toEqual({
      command: 'export',
      file: 'g.json',
      to: 'pytorch',
      out: 'g.py',
      seed: 2,
    });
    expect(() => parseArgs(['train', 'g.json', '--to', 'onnx'])).toThrow("unknown option '--to'");
    expect(() => parseArgs(['export', 'g.json', '--to'])).toThrow('--to needs one of onnx, pytorch, numpy');
    expect(() => parseArgs(['export', '--to', 'onnx', '--out', 'g.onnx'])).toThrow('export needs a graph file');
  });
});
