// Every registered layer type, through everything generic code asks its module for: the float64
// reference (gradients by central differences), the step-through (every row has its text in both
// languages, the gradients it passes down are the engine's) and the three emitters. A new type
// without one of them fails here; the export tests run the emitted code (onnx.test, python.test).
import { describe, expect, it } from 'vitest';
import type { TraceExplain, TraceStep } from '../train/traceTypes.ts';
import { compile } from '../compiler/compile.ts';
import { exportNumpy, exportOnnx, exportPyTorch } from '../export/index.ts';
import { createRng } from '../prng.ts';
import { checkGradients } from '../testing/checkGradients.ts';
import { LAYER_DEFINITIONS, layerCase } from '../testing/registry.ts';
import { traceSample } from '../train/trace.ts';
import { NODE_DEFINITIONS } from './index.ts';

describe.each(LAYER_DEFINITIONS.map((d) => [d.type, d] as const))('node module %s', (type, def) => {
  const c = layerCase(def);

  it('its defaults compile in a small graph', () => {
    expect(c.problems).toEqual([]);
  });

  it('gradients match central differences of its float64 reference (batch 3 and 1)', () => {
    expect(checkGradients(c.doc, c.inputShape, c.targetShape, { targets: 'onehot' })).toBeGreaterThan(0);
    expect(
      checkGradients(c.doc, c.inputShape, c.targetShape, { targets: 'onehot', batch: 1, seed: 5 }),
    ).toBeGreaterThan(0);
  });

  it('its step-through has every text in English and Japanese and passes down the engine’s gradients', () => {
    const model = compile(c.doc, { inputShape: c.inputShape, targetShape: c.targetShape, seed: 2 });
    const rng = createRng(4);
    const x = {
      shape: [1, ...c.inputShape],
      data: Float32Array.from({ length: c.inputShape.reduce((a, b) => a * b) }, () => rng.range(-1, 1)),
    };
    const y = { shape: [1, 3], data: Float32Array.of(0, 1, 0) };
    const steps = traceSample(model, x, y);
    const mine = steps.filter((s) => s.nodeId === 'it');
    expect(mine.map((s) => s.phase)).toEqual(['forward', 'backward']);
    const rows: TraceExplain[] = mine.flatMap((s: TraceStep) =>
      s.phase === 'forward' ? s.rows : [s.local, ...s.rows],
    );
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows)
      for (const lang of ['en', 'ja'] as const)
        expect(def.text[lang].trace?.[row.text], `${type} ${lang} '${row.text}'`).toBeTruthy();
    // The input x gets no gradient; the flatten after it passes the engine's own down.
    const back = steps.find((s) => s.phase === 'backward' && s.nodeId === 'f');
    expect(back?.phase === 'backward' && back.gradIn[0]!.values).toEqual(model.outputGrads().get('it')!.data.slice(0));
  });

  it('emits ONNX, PyTorch and NumPy code', () => {
    const model = compile(c.doc, { inputShape: c.inputShape, targetShape: c.targetShape });
    expect(exportOnnx(c.doc, model).length).toBeGreaterThan(0);
    expect(exportPyTorch(c.doc, model)).toContain(`# ${type[0]!.toUpperCase()}${type.slice(1)} "it"`);
    expect(exportNumpy(c.doc, model)).toContain(`# ${type[0]!.toUpperCase()}${type.slice(1)} "it"`);
  });
});

describe('the registry', () => {
  it('every type but the graph ends (input, loss) is a layer with rules', () => {
    const ends = NODE_DEFINITIONS.filter((d) => !('layer' in d) || d.layer === undefined).map((d) => d.type);
    expect(ends).toEqual(['input', 'loss']);
  });
});
