import * as ort from 'onnxruntime-web';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import type { Model } from '../compiler/types.ts';
import { exportOnnx, ONNX_OPSET } from './onnx.ts';
import { batchFor, type Case, compileCase, exampleCases, hostileCase, maxAbsDiff, registryCases } from './testkit.ts';

ort.env.wasm.numThreads = 1;

const cases: Case[] = [
  ...exampleCases(),
  ...registryCases(),
  hostileCase({ dropoutRate: 0.5 }),
  hostileCase({ head: 'sigmoid', loss: 'binary_cross_entropy' }),
  hostileCase({ loss: 'mse', guarded: true }),
];

/** Runs the exported model in onnxruntime on x and returns y with its dims. */
async function runOnnx(bytes: Uint8Array, x: { shape: number[]; data: Float32Array }) {
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ x: new ort.Tensor('float32', x.data, x.shape) });
  const y = out.y!;
  return { dims: [...y.dims], data: y.data as Float32Array };
}

async function compare(c: Case, model: Model, rows: number): Promise<number> {
  const bytes = exportOnnx(c.doc, model);
  const { x } = batchFor(c, model, rows);
  const expected = model.predict(x);
  const got = await runOnnx(bytes, x);
  expect(got.dims).toEqual(expected.shape);
  return maxAbsDiff(got.data, expected.data);
}

describe('exportOnnx', () => {
  it.each(cases)(
    '$name: onnxruntime gives what predict gives (initial and trained weights, batch 1 and 7)',
    async (c) => {
      for (const steps of [0, 5]) {
        const model = compileCase(c, steps);
        for (const rows of [1, 7]) {
          const diff = await compare(c, model, rows);
          console.log(`onnx ${c.name} steps=${steps} batch=${rows}: max |diff| ${diff.toExponential(2)}`);
          expect(diff).toBeLessThan(1e-5);
        }
      }
    },
  );

  it('writes a well-formed model: opset, symbolic batch axis, initializers, traceable node names', () => {
    const c = hostileCase();
    const model = compileCase(c);
    const bytes = exportOnnx(c.doc, model);
    const m = onnxProto.onnx.ModelProto.decode(bytes);
    expect(Number(m.opsetImport[0]!.version)).toBe(ONNX_OPSET);
    const g = m.graph as onnxProto.onnx.GraphProto;
    expect(g.input.map((i) => i.name)).toEqual(['x']);
    expect(g.output.map((o) => o.name)).toEqual(['y']);
    expect(g.input[0]!.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue))).toEqual([
      'batch',
      4,
      4,
      3,
    ]);
    const names = g.node.map((n) => n.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
    expect(g.node.map((n) => n.docString)).toContain('__proto__');
    const byDoc = new Map(g.node.map((n) => [n.docString, n]));
    expect(byDoc.get('d-1')!.name).not.toBe(byDoc.get('d_1')!.name);
    expect(byDoc.get('drop out')!.opType).toBe('Identity');
    expect(byDoc.get('1st')!.opType).toBe('Gemm');
    // One initializer per parameter, named after its node (a leading digit gets a prefix, d-1 and d_1 collide).
    expect(g.initializer).toHaveLength(model.params.size);
    for (const name of ['n1st_W', 'd_1_W', 'hasOwnProperty_W'])
      expect(g.initializer.map((t) => t.name)).toContain(name);
    const w = g.initializer.find((t) => t.name === 'n1st_W') as onnxProto.onnx.TensorProto;
    expect(w.dims.map(Number)).toEqual([48, 6]);
    expect(new Float32Array(Uint8Array.from(w.rawData).buffer)).toEqual(model.params.get('1st.W')!.data);
  });
});
