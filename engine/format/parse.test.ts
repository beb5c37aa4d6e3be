import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NODE_TYPE_NAMES } from '../nodes/index.ts';
import { compile } from '../compiler/compile.ts';
import { renameIds } from '../testing/renameIds.ts';
import { GraphFormatError, parseGraph } from './parse.ts';
import { serializeGraph } from './serialize.ts';
import { migrateToCurrent } from './migrations.ts';
import { decodeBase64, decodeTensor, encodeBase64, encodeTensor } from './weights.ts';

const read = (name: string) => JSON.parse(readFileSync(`public/examples/${name}`, 'utf8'));
const xor = () => read('xor.json');
const problemsOf = (json: unknown) => {
  try {
    parseGraph(json);
  } catch (e) {
    if (e instanceof GraphFormatError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  return [];
};

describe('parseGraph', () => {
  for (const file of readdirSync('public/examples')) {
    it(`accepts the example ${file} and round-trips it exactly`, () => {
      const json = read(file);
      const doc = parseGraph(json);
      expect(serializeGraph(doc)).toEqual(json);
    });
  }

  it('fills training defaults field by field', () => {
    const json = xor();
    delete json.training;
    expect(parseGraph(json).training).toEqual({
      optimizer: { type: 'sgd', learningRate: 0.1 },
      batchSize: 32,
      epochs: 100,
      seed: 1,
    });
    json.training = { batchSize: 2 };
    expect(parseGraph(json).training.batchSize).toBe(2);
  });

  it('lists every problem with its JSON path', () => {
    const json = xor();
    json.nodes[1].data.units = 0;
    json.nodes[2].data.fn = 'swish';
    json.nodes[3].type = 'conv3d';
    json.nodes[4].id = 'h'; // was "oa": edge e5 now dangles (e4 comes from the unknown-type node, already reported)
    json.edges[0].target = 'nowhere';
    json.edges[1].sourceHandle = 'y';
    json.edges[2].id = 'e1';
    json.training.optimizer.learningRate = -1;
    expect(problemsOf(json)).toEqual([
      'nodes[1].data.units: must be at least 1',
      'nodes[2].data.fn: must be one of identity, relu, leaky_relu, sigmoid, tanh, softmax',
      `nodes[3].type: unknown node type "conv3d" (expected one of ${NODE_TYPE_NAMES.join(', ')})`,
      'nodes[4].id: duplicate node id "h"',
      'edges[0].target: edge "e1" goes to node "nowhere", which does not exist',
      'edges[1].sourceHandle: "y" is not an output port of dense node "h" (its output ports: "out")',
      'edges[2].id: duplicate edge id "e1"',
      'edges[4].source: edge "e5" comes from node "oa", which does not exist',
      'training.optimizer.learningRate: must be greater than 0',
    ]);
  });

  it('reports a bad expression with its column', () => {
    const json = read('function-fit.json');
    json.nodes[0].data.dataset.expr = 'x^2 + foo(x)';
    expect(problemsOf(json)).toEqual([
      "nodes[0].data.dataset.expr: unknown name 'foo' (use x, pi, e, sin, cos, tan, exp, log, sqrt, abs, tanh) at column 7",
    ]);
  });

  it('refuses other formats and newer versions with one clear message', () => {
    expect(problemsOf({ format: 'something', version: 1 })).toEqual([
      'format: must be "nodegrad-graph" (got "something"): this is not a nodegrad graph',
    ]);
    expect(problemsOf({ ...xor(), version: 2 })).toEqual([
      'version: this file was made by a newer nodegrad (format version 2); this build reads version 1',
    ]);
    expect(problemsOf([1, 2])).toEqual(['(document): a nodegrad document must be a JSON object']);
  });

  it('validates weights: shape against units, byte count, unknown nodes, bias off', () => {
    const json = xor();
    json.nodes[3].data.bias = false;
    json.weights = {
      h: {
        W: encodeTensor({ shape: [2, 2], data: new Float32Array(4) }),
        b: { dtype: 'float32', shape: [3], base64: 'AAAA' },
      },
      o: { b: encodeTensor({ shape: [1], data: new Float32Array(1) }) },
      ghost: { W: encodeTensor({ shape: [1, 1], data: new Float32Array(1) }) },
    };
    expect(problemsOf(json)).toEqual([
      'weights.h.W.shape: Dense "h" needs W of shape [inputs, 3], not [2, 2]',
      'weights.h.b.base64: holds 3 bytes but shape [3] needs 12',
      'weights.o.b: unknown parameter "b" (a dense node has "W")',
      'weights.ghost: weights for node "ghost", which does not exist',
    ]);
  });

  it('applies migrations in order (mechanism, with a made-up version 0)', () => {
    const migrated = migrateToCurrent({ version: 0, graph: 1 }, [
      { from: 0, to: 1, migrate: (d) => ({ ...d, renamed: d.graph }) },
    ]);
    expect(migrated).toEqual({ version: 1, graph: 1, renamed: 1 });
  });

  it('hostile input throws only GraphFormatError with problems, and never pollutes prototypes', () => {
    const hostile = JSON.parse(
      '{"format":"nodegrad-graph","version":1,"__proto__":{"polluted":1},"nodes":[{"id":"__proto__","type":"dense","position":{"x":0,"y":0},"data":{"units":1,"constructor":{"prototype":{"bad":1}}}}],"edges":[],"weights":{"__proto__":{"W":1}}}',
    );
    expect(problemsOf(hostile).length).toBeGreaterThan(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).bad).toBeUndefined();
    const valid = xor();
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), mutate(valid)), (json) => {
        try {
          parseGraph(json);
        } catch (e) {
          expect(e).toBeInstanceOf(GraphFormatError);
          expect((e as GraphFormatError).problems.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 400, seed: 42 },
    );
  });
});

/** Valid documents with one value somewhere replaced by arbitrary JSON. */
function mutate(doc: unknown): fc.Arbitrary<unknown> {
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    paths.push(path);
    if (Array.isArray(v)) for (const [i, x] of v.entries()) walk(x, [...path, i]);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(doc, []);
  return fc.tuple(fc.constantFrom(...paths.slice(1)), fc.jsonValue()).map(([path, value]) => {
    const copy = structuredClone(doc) as Record<string | number, unknown>;
    let at = copy;
    for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
    at[path[path.length - 1]!] = value;
    return copy;
  });
}

describe('weights of nodes whose ids are Object.prototype members', () => {
  // Every member name is a valid node id; none may be dropped or land on a prototype.
  for (const id of Object.getOwnPropertyNames(Object.prototype)) {
    it(`survive serializeGraph → JSON → parseGraph → compile with a Dense '${id}'`, () => {
      const doc = parseGraph(renameIds(xor(), new Map([['h', id]])));
      const model = compile(doc);
      let k = 0;
      for (const t of model.params.values()) for (let i = 0; i < t.data.length; i++) t.data[i] = 0.01 * ++k;
      const back = parseGraph(JSON.parse(JSON.stringify(serializeGraph(doc, model))));
      expect(Object.keys(back.weights ?? {}).sort()).toEqual([id, 'o'].sort());
      const restored = compile(back);
      expect([...restored.params.keys()]).toEqual([...model.params.keys()]);
      for (const [key, t] of model.params) expect([...restored.params.get(key)!.data], key).toEqual([...t.data]);
      expect(Object.getPrototypeOf(back.weights)).toBe(Object.prototype);
    });
  }
});

describe('tensor encoding', () => {
  it('round-trips float32 bit-exactly, including NaN, -0, Infinity and denormals', () => {
    const data = Float32Array.from([0, -0, 1.5, -2.25e-40, Number.NaN, Number.POSITIVE_INFINITY, 3.4e38, 1e-45]);
    const back = decodeTensor(encodeTensor({ shape: [2, 4], data }));
    expect(back.shape).toEqual([2, 4]);
    expect(Buffer.from(back.data.buffer).equals(Buffer.from(data.buffer))).toBe(true);
  });

  it('codes base64 as the standard does (padded out, padded or not in), and refuses anything else', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 89 + n * 7) & 255);
      const text = Buffer.from(bytes).toString('base64');
      expect(encodeBase64(bytes)).toBe(text);
      expect([...decodeBase64(text)]).toEqual([...bytes]);
      expect([...decodeBase64(text.replace(/=+$/, ''))]).toEqual([...bytes]);
    }
    for (const bad of ['A', 'AAAAA', 'AA=A', 'AA-A', 'AAA\u00e9', '===='])
      expect(() => decodeBase64(bad), bad).toThrow();
  });
});
