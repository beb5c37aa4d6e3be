// Which kernels a library user gets with no setup: each case runs in a fresh Node process (through
// tsx), so nothing this test runner or another test installed can leak in.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Runs `prelude`, then compiles the MNIST example through engine/index.ts and trains one batch. */
function freshProcess(prelude: string): { kernels: string; conv: string; loss: number } {
  const script = `
    import { readFileSync } from 'node:fs';
    import * as engine from './engine/index.ts';
    import * as node from './engine/node.ts';
    ${prelude}
    const { compile, createRng, getConvKernels, getKernels, parseGraph } = engine;
    const doc = parseGraph(JSON.parse(readFileSync('public/examples/mnist.json', 'utf8')));
    const model = compile(doc, { inputShape: [784], targetShape: [10] });
    const rng = createRng(1);
    const x = { shape: [32, 784], data: Float32Array.from({ length: 32 * 784 }, () => rng.uniform()) };
    const y = { shape: [32, 10], data: new Float32Array(320) };
    for (let r = 0; r < 32; r++) y.data[r * 10 + (r % 10)] = 1;
    const { loss } = model.lossAndGrads(x, y);
    console.log(JSON.stringify({ kernels: getKernels().name, conv: getConvKernels().name, loss }));
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

describe('default kernels', () => {
  it('are WebAssembly SIMD from the first compile, with no call needed', () => {
    const r = freshProcess('');
    expect(r.kernels).toMatch(/^wasm/);
    expect(r.conv).toBe('wasm-simd-conv');
    expect(r.loss).toBeGreaterThan(0);
  });

  it('are relaxed SIMD when enableRelaxedSimd() ran before the first use', () => {
    const r = freshProcess('node.enableRelaxedSimd();');
    expect(r.kernels).toBe('wasm-relaxed-simd-4x8');
    expect(r.conv).toBe('wasm-relaxed-simd-conv');
  });

  it('yield to an explicit choice made before the first use', () => {
    expect(freshProcess('engine.selectTsKernels();')).toMatchObject({ kernels: 'ts-tiled-4x4', conv: 'ts' });
    expect(freshProcess('engine.setKernels(engine.tsKernels);').kernels).toBe('ts-tiled-4x4');
    expect(freshProcess('engine.setConvKernels(engine.tsConvKernels);').conv).toBe('ts');
    expect(freshProcess('node.enableRelaxedSimd(); engine.selectFastestKernels({ relaxed: false });')).toMatchObject({
      kernels: 'wasm-simd-4x8',
      conv: 'wasm-simd-conv',
    });
  });

  it('fall back to TypeScript where synchronous WebAssembly compilation throws (a browser main thread)', () => {
    const refuse = `WebAssembly.Module = function () { throw new RangeError('sync compile refused'); };`;
    const r = freshProcess(refuse);
    expect(r.kernels).toBe('ts-tiled-4x4');
    expect(r.conv).toBe('im2col+gemm');
    expect(r.loss).toBeGreaterThan(0);
  });

  it('fall back to TypeScript where there is no WebAssembly', () => {
    expect(freshProcess('delete globalThis.WebAssembly;')).toMatchObject({
      kernels: 'ts-tiled-4x4',
      conv: 'im2col+gemm',
    });
  });
});
