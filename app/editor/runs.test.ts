// Run identity in the editor core (DESIGN.md, "Truth on screen"): which edits start a new run, what
// the editor tells its listeners, and that weights only ever join the run they were trained in.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, encodeWeights, type GraphDoc, parseGraph } from '../../engine/index.ts';
import { createEditor } from './editor.ts';
import type { EditorChange } from './editorState.ts';
import { randomActions } from './testing/randomCommands.ts';

const example = (name: string) => parseGraph(JSON.parse(readFileSync(`public/examples/${name}.json`, 'utf8')));

/** What a trained model depends on (an independent oracle: the editor never computes this). */
const modelAndData = (doc: GraphDoc) =>
  JSON.stringify([
    doc.nodes.map((n) => [n.id, n.type, n.data]),
    doc.edges.map((e) => [e.source, e.sourceHandle, e.target, e.targetHandle]),
    doc.training.batchSize,
    doc.training.seed,
  ]);

describe('runs', () => {
  it('every edit of the model or its data starts a new run and says so; positions, name and live settings do not', () => {
    const editor = createEditor();
    editor.load(example('xor'));
    const heard: EditorChange[] = [];
    editor.listen((c) => heard.push(c));
    const actions = randomActions(editor, 7);
    const optimizers = [
      { type: 'sgd' as const, learningRate: 0.3 },
      { type: 'adam' as const, learningRate: 0.01 },
    ];
    let newRuns = 0;
    for (let i = 0; i < 600; i++) {
      const before = editor.getState();
      heard.length = 0;
      if (i % 10 === 9) editor.run({ type: 'setOptimizer', optimizer: optimizers[i % 2]! });
      else actions.step();
      const after = editor.getState();
      const changed = modelAndData(after.doc) !== modelAndData(before.doc);
      expect(after.runId, `action ${i}`).toBe(changed ? before.runId + 1 : before.runId);
      const runs = heard.filter((c) => c.type === 'run');
      expect(runs).toEqual(changed ? [{ type: 'run', runId: after.runId, cause: 'edit' }] : []);
      const settings = heard.flatMap((c) => (c.type === 'setting' ? [c.setting] : []));
      const t0 = before.doc.training;
      const t1 = after.doc.training;
      if (!changed) {
        const expected = [
          ...(JSON.stringify(t0.optimizer) !== JSON.stringify(t1.optimizer) ? ['optimizer'] : []),
          ...(t0.epochs !== t1.epochs ? ['epochs'] : []),
          ...(t0.weightDecay !== t1.weightDecay ? ['weightDecay'] : []),
        ];
        expect(settings, `action ${i}`).toEqual(expected);
      }
      if (changed) newRuns++;
    }
    expect(newRuns).toBeGreaterThan(50);
  });

  it('weights from another run never join the document; a new run keeps only the weights that still fit, at step 0', () => {
    const editor = createEditor();
    const doc = example('xor');
    editor.load(doc);
    const weights = encodeWeights(compile(doc).params);
    const old = editor.getState().runId;
    editor.run({ type: 'setField', nodeId: 'ha', key: 'fn', value: 'tanh' });
    editor.setWeights({ runId: old, step: 50 }, weights);
    expect(editor.getState().weights).toBeUndefined();
    editor.setWeights({ runId: editor.getState().runId, step: 50 }, weights);
    expect(editor.getState()).toMatchObject({ weights, weightsStep: 50 });
    editor.run({ type: 'setTraining', key: 'seed', value: 9 });
    expect(editor.getState()).toMatchObject({ weights, weightsStep: 0, trained: undefined });
  });

  it('a document arrives with its own weights and run state in one new run; undo brings the previous graph back untrained', () => {
    const editor = createEditor();
    const xor = example('xor');
    editor.load(xor);
    editor.setWeights({ runId: editor.getState().runId, step: 7 }, encodeWeights(compile(xor).params));
    const heard: EditorChange[] = [];
    editor.listen((c) => heard.push(c));
    const and = example('and');
    const weights = encodeWeights(compile(and).params);
    const trained = { epoch: 40, samples: 160, optimizer: { step: 40, slots: new Map() } };
    editor.run({ type: 'replaceDocument', doc: { ...and, weights }, source: 'compare', trained });
    const s = editor.getState();
    // The trained graph it replaced is handed over (to be kept under Versions).
    expect(heard).toEqual([
      { type: 'run', runId: s.runId, cause: 'document', replaced: { ...xor, weights: expect.anything() } },
    ]);
    expect(s).toMatchObject({ weights, trained, weightsStep: 0 });
    editor.undo();
    expect(editor.getState()).toMatchObject({ weights: undefined, trained: undefined, weightsStep: null });
    expect(editor.getState().doc.name).toBe(xor.name);
    editor.redo();
    expect(editor.getState()).toMatchObject({ weights, trained });
  });

  it('Reset and a branch start a new run without the old weights; a recovery keeps them', () => {
    const editor = createEditor();
    const doc = example('xor');
    editor.load(doc);
    const weights = encodeWeights(compile(doc).params);
    for (const cause of ['reset', 'branch', 'recover'] as const) {
      editor.setWeights({ runId: editor.getState().runId, step: 3 }, weights);
      const before = editor.getState().runId;
      expect(editor.newRun(cause)).toBe(before + 1);
      expect(editor.getState().weights).toEqual(cause === 'recover' ? weights : undefined);
    }
  });
});

describe('edits that leave the data alone', () => {
  it('a learning rate, a move or an edit elsewhere never reads the stored data again; a data edit is checked', () => {
    const doc = example('xor');
    const input = doc.nodes.find((n) => n.type === 'input')!;
    if (input.type !== 'input') throw new Error('no input');
    const parsed = parseGraph({
      ...doc,
      nodes: doc.nodes.map((n) =>
        n.id === input.id
          ? {
              ...n,
              data: {
                dataset: {
                  kind: 'arrays',
                  x: {
                    dtype: 'float32',
                    shape: [4, 2],
                    base64: encodeWeights(new Map([['a.W', { shape: [4, 2], data: new Float32Array(8) }]])).a!.W!
                      .base64,
                  },
                  y: {
                    dtype: 'float32',
                    shape: [4, 1],
                    base64: encodeWeights(new Map([['a.W', { shape: [4, 1], data: new Float32Array(4) }]])).a!.W!
                      .base64,
                  },
                },
              },
            }
          : n,
      ),
    });
    // The stored images: every read of their base64 text is counted (parsing, serialising, copying).
    let reads = 0;
    const dataset = (parsed.nodes.find((n) => n.id === input.id)!.data as { dataset: { x: { base64: string } } })
      .dataset;
    const text = dataset.x.base64;
    Object.defineProperty(dataset.x, 'base64', {
      enumerable: true,
      get: () => {
        reads++;
        return text;
      },
    });
    // NOTE: frozen as Immer would freeze it (without calling the getter), so only real uses are counted.
    const freeze = (o: object) => {
      for (const d of Object.values(Object.getOwnPropertyDescriptors(o)))
        if (d.value && typeof d.value === 'object') freeze(d.value);
      Object.freeze(o);
    };
    freeze(parsed);
    const editor = createEditor();
    editor.load(parsed);
    const before = reads;
    editor.run({ type: 'setOptimizer', optimizer: { type: 'adam', learningRate: 0.003 } });
    editor.run({ type: 'moveNodes', positions: [['h', { x: 5, y: 5 }]] });
    editor.run({ type: 'setField', nodeId: 'h', key: 'units', value: 4 });
    editor.run({ type: 'setTraining', key: 'epochs', value: 9 });
    editor.undo();
    editor.redo();
    expect(reads - before).toBe(0);
    // A new dataset is checked in full: a bad one is refused.
    const bad = { kind: 'arrays', x: { dtype: 'float32', shape: [4, 2], base64: 'AAAA' }, y: dataset.x };
    expect(editor.run({ type: 'setField', nodeId: input.id, key: 'dataset', value: bad }).ok).toBe(false);
  });
});
