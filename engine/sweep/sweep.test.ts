import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../compiler/compile.ts';
import { parseGraph } from '../format/parse.ts';
import type { GraphDoc } from '../format/types.ts';
import { bytes } from '../testing/heap.ts';
import {
  applySetting,
  currentValue,
  groupBySettings,
  meanSd,
  parseVary,
  SweepError,
  settingPaths,
  settingsKey,
  sweepVariants,
} from './index.ts';

const example = (name: string): GraphDoc =>
  parseGraph(JSON.parse(readFileSync(`public/examples/${name}.json`, 'utf8')));
const chain = (doc: GraphDoc) => {
  // Walks input.x → … → loss.pred, following the one edge out of each node (none here fan out).
  const ids: string[] = [];
  let at = doc.edges.find((e) => e.source === doc.nodes.find((n) => n.type === 'input')!.id && e.sourceHandle === 'x');
  while (at) {
    ids.push(at.target);
    const from = at.target;
    at = doc.edges.find((e) => e.source === from);
  }
  return ids;
};

describe('applySetting', () => {
  it('types values by the field schema and never mutates the document', () => {
    const doc = example('xor');
    const before = JSON.stringify(doc);
    const wide = applySetting(doc, 'h.units', '10');
    expect(wide.nodes.find((n) => n.id === 'h')!.data).toMatchObject({ units: 10 });
    expect(applySetting(doc, 'ha.fn', 'relu').nodes.find((n) => n.id === 'ha')!.data).toEqual({ fn: 'relu' });
    expect(applySetting(doc, 'training.optimizer.learningRate', '0.05').training.optimizer.learningRate).toBe(0.05);
    expect(applySetting(doc, 'training.batchSize', 2).training.batchSize).toBe(2);
    expect(applySetting(doc, 'training.epochs', '7').training.epochs).toBe(7);
    expect(applySetting(doc, 'training.seed', '9').training.seed).toBe(9);
    expect(applySetting(doc, 'h.bias', 'false').nodes[1]!.data).toMatchObject({ bias: false });
    expect(JSON.stringify(doc)).toBe(before);
    // the result is a valid, compilable document with the new shape
    expect(compile(parseGraph(JSON.parse(JSON.stringify(wide)))).params.get('h.W')!.shape).toEqual([2, 10]);
  });

  it('switches the optimizer type keeping the learning rate and dropping what the new type lacks', () => {
    const momentum = applySetting(example('xor'), 'training.optimizer.type', 'momentum');
    const withMomentum = applySetting(momentum, 'training.optimizer.momentum', '0.8');
    expect(withMomentum.training.optimizer).toEqual({ type: 'momentum', learningRate: 2, momentum: 0.8 });
    expect(applySetting(withMomentum, 'training.optimizer.type', 'adam').training.optimizer).toEqual({
      type: 'adam',
      learningRate: 2,
    });
  });

  it('drops saved weights: a variant trains from its seed', () => {
    const doc = example('xor');
    const trained = parseGraph(JSON.parse(JSON.stringify({ ...doc, weights: undefined })));
    const model = compile(trained);
    const withWeights = parseGraph({
      ...trained,
      weights: {
        h: {
          W: {
            dtype: 'float32',
            shape: [2, 3],
            base64: bytes(model.params.get('h.W')!.data).toString('base64'),
          },
        },
      },
    });
    expect(withWeights.weights).toBeDefined();
    expect(applySetting(withWeights, 'training.seed', 3).weights).toBeUndefined();
  });

  it('names the path and the allowed values when a path or value is wrong', () => {
    const doc = example('xor');
    const err = (path: string, value: unknown) => {
      try {
        applySetting(doc, path, value);
      } catch (e) {
        expect(e).toBeInstanceOf(SweepError);
        return (e as Error).message;
      }
      throw new Error(`applySetting(${path}, ${String(value)}) did not throw`);
    };
    expect(err('q.units', 3)).toBe("q.units: no node 'q' in the graph; its nodes are in, h, ha, o, oa, L");
    expect(err('h.colour', 3)).toBe(
      "h.colour: dense node 'h' has no setting 'colour'; it has units, init, scale, std, bias, biasInit, layers",
    );
    expect(err('h.units', 'many')).toBe("h.units takes a whole number from 1 to 100000, not 'many'");
    expect(err('h.units', '2.5')).toBe("h.units takes a whole number from 1 to 100000, not '2.5'");
    expect(err('h.units', '0')).toMatch(/from 1 to 100000/);
    expect(err('ha.fn', 'swish')).toBe(
      "ha.fn takes one of identity, relu, leaky_relu, sigmoid, tanh, softmax, not 'swish'",
    );
    expect(err('training.optimizer.type', 'lbfgs')).toBe(
      "training.optimizer.type takes one of sgd, momentum, adam, not 'lbfgs'",
    );
    expect(err('training.optimizer.momentum', '0.9')).toMatch(
      /^unknown training setting 'training.optimizer.momentum'; settings are training.optimizer.type, training.optimizer.learningRate, training.batchSize/,
    );
    expect(err('training.colour', 1)).toMatch(/unknown training setting/);
    expect(err('units', 1)).toMatch(/is not a setting/);
    expect(err('h.layers', '0')).toBe("h.layers takes a whole number from 1 to 20, not '0'");
    expect(err('ha.layers', '2')).toMatch(/activation node 'ha' has no setting 'layers'; it has fn/);
    // a positive-only field: zod's bound is exclusive, parseGraph has the last word
    expect(err('training.optimizer.learningRate', '0')).toMatch(
      /training.optimizer.learningRate = 0 gives an invalid graph: training.optimizer.learningRate: /,
    );
  });

  it('handles node ids that are Object.prototype members', () => {
    const json = JSON.parse(readFileSync('public/examples/xor.json', 'utf8'));
    const renames: Record<string, string> = {
      in: 'constructor',
      h: '__proto__',
      ha: 'toString',
      o: 'valueOf',
      L: 'hasOwnProperty',
    };
    for (const n of json.nodes) n.id = renames[n.id] ?? n.id;
    for (const e of json.edges) {
      e.source = renames[e.source] ?? e.source;
      e.target = renames[e.target] ?? e.target;
    }
    const doc = parseGraph(json);
    const wide = applySetting(doc, '__proto__.units', '5');
    expect(wide.nodes.find((n) => n.id === '__proto__')!.data).toMatchObject({ units: 5 });
    expect(applySetting(doc, 'toString.fn', 'tanh').nodes.find((n) => n.id === 'toString')!.data).toEqual({
      fn: 'tanh',
    });
    const deep = applySetting(doc, '__proto__.layers', 3);
    expect(chain(deep)).toEqual([
      '__proto__',
      'toString',
      '__proto___2',
      'toString_2',
      '__proto___3',
      'toString_3',
      'valueOf',
      'oa',
      'hasOwnProperty',
    ]);
    expect(() => applySetting(doc, 'constructor.units', 2)).toThrow(/input node 'constructor' has no setting 'units'/);
    expect(() => applySetting(doc, 'prototype.units', 2)).toThrow(/no node 'prototype'/);
    expect(({} as Record<string, unknown>).units).toBeUndefined();
  });
});

describe('layers', () => {
  it('repeats Dense + Activation in a chain with fresh ids, and the result compiles', () => {
    const doc = example('function-fit');
    expect(applySetting(doc, 'h.layers', 1).nodes.map((n) => n.id)).toEqual(doc.nodes.map((n) => n.id));
    const deep = applySetting(doc, 'h.layers', '3');
    expect(chain(deep)).toEqual(['h', 'ha', 'h_2', 'ha_2', 'h_3', 'ha_3', 'o', 'L']);
    const model = compile(deep);
    expect(model.params.get('h_2.W')!.shape).toEqual([10, 10]);
    expect(model.params.get('o.W')!.shape).toEqual([10, 1]);
    // ids and positions: unique, copies under the block, later rows pushed down
    const ids = deep.nodes.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(deep.edges.map((e) => e.id)).size).toBe(deep.edges.length);
    const pos = new Map(deep.nodes.map((n) => [n.id, n.position]));
    expect(pos.get('h_2')).toEqual({ x: 190, y: 150 });
    expect(pos.get('ha_3')).toEqual({ x: 450, y: 300 });
    expect(pos.get('o')!.y).toBe(270 + 300);
    const spots = deep.nodes.map((n) => `${n.position.x},${n.position.y}`);
    expect(new Set(spots).size).toBe(spots.length);
    // units set in the same variant reach every copy (layers apply last)
    const [v] = sweepVariants(doc, [parseVary('h.layers=2'), parseVary('h.units=4')]);
    expect(v!.doc.nodes.filter((n) => n.type === 'dense').map((n) => n.data.units)).toEqual([4, 4, 1]);
  });

  it('does not collide with ids already taken and repeats a Dense with no activation after it', () => {
    const doc = example('function-fit');
    const taken = applySetting(doc, 'h.layers', 2); // h_2, ha_2 now exist
    const again = applySetting(taken, 'h.layers', 2);
    expect(chain(again)).toEqual(['h', 'ha', 'h_3', 'ha_3', 'h_2', 'ha_2', 'o', 'L']);
    const out = applySetting(doc, 'o.layers', 3); // o feeds the loss directly
    expect(chain(out)).toEqual(['h', 'ha', 'o', 'o_2', 'o_3', 'L']);
    expect(compile(out).params.get('o_3.W')!.shape).toEqual([1, 1]);
  });
});

describe('parseVary and sweepVariants', () => {
  it('parses <path>=<values> and rejects malformed ones', () => {
    expect(parseVary('h.units=1,3,10')).toEqual({ path: 'h.units', values: ['1', '3', '10'] });
    expect(parseVary(' ha.fn = relu , tanh')).toEqual({ path: 'ha.fn', values: ['relu', 'tanh'] });
    expect(() => parseVary('h.units')).toThrow(/needs <path>=<v1>,<v2>/);
    expect(() => parseVary('=1,2')).toThrow(SweepError);
    expect(() => parseVary('h.units=1,,3')).toThrow(/without empty ones/);
  });

  it('gives every combination × repeats with seeds seed, seed+1, …', () => {
    const doc = applySetting(example('xor'), 'training.seed', 5);
    const runs = sweepVariants(doc, [parseVary('h.units=2,4'), parseVary('ha.fn=sigmoid,tanh,relu')], 2);
    expect(runs).toHaveLength(12);
    expect(runs.map((r) => `${settingsKey(r.settings)}@${r.seed}`).slice(0, 4)).toEqual([
      'h.units=2,ha.fn=sigmoid@5',
      'h.units=2,ha.fn=sigmoid@6',
      'h.units=2,ha.fn=tanh@5',
      'h.units=2,ha.fn=tanh@6',
    ]);
    for (const r of runs) {
      expect(r.doc.training.seed).toBe(r.seed);
      expect(currentValue(r.doc, 'h.units')).toBe(r.settings[0]![1]);
      expect(currentValue(r.doc, 'ha.fn')).toBe(r.settings[1]![1]);
      expect(typeof r.settings[0]![1]).toBe('number');
    }
    expect(groupBySettings(runs).map((g) => g.runs.length)).toEqual([2, 2, 2, 2, 2, 2]);
    // no varies: the document itself, repeated
    expect(sweepVariants(doc, [], 3).map((r) => r.seed)).toEqual([5, 6, 7]);
  });

  it('checks every value before building runs', () => {
    const doc = example('xor');
    expect(() => sweepVariants(doc, [parseVary('h.units=1,x')])).toThrow(
      "h.units takes a whole number from 1 to 100000, not 'x'",
    );
    expect(() => sweepVariants(doc, [parseVary('h.units=1'), parseVary('h.units=2')])).toThrow(/varied twice/);
    expect(() => sweepVariants(doc, [parseVary('h.units=1')], 0)).toThrow(/repeats/);
    expect(() =>
      sweepVariants(doc, [parseVary(`h.units=${Array.from({ length: 101 }, (_, i) => i + 1).join(',')}`)], 10),
    ).toThrow(/1010 runs; at most 1000/);
  });

  it('lists the paths a document can vary', () => {
    expect(settingPaths(example('xor'))).toEqual([
      'h.units',
      'h.init',
      'h.scale',
      'h.std',
      'h.bias',
      'h.biasInit',
      'h.layers',
      'ha.fn',
      'o.units',
      'o.init',
      'o.scale',
      'o.std',
      'o.bias',
      'o.biasInit',
      'o.layers',
      'oa.fn',
      'L.fn',
      'training.optimizer.type',
      'training.optimizer.learningRate',
      'training.batchSize',
      'training.epochs',
      'training.seed',
      'training.weightDecay',
    ]);
    expect(meanSd([1, 2, 3])).toEqual({ mean: 2, sd: 1 });
    expect(meanSd([4])).toEqual({ mean: 4, sd: 0 });
  });
});
