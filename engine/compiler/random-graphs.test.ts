// Property: on random DAGs with fan-out, add and concat, every parameter gradient matches the
// numerical derivative of the float64 reference.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { GraphDoc } from '../format/types.ts';
import { checkGradients, graph } from '../testing/checkGradients.ts';

type Spec = Parameters<typeof graph>;
const FNS = ['identity', 'relu', 'leaky_relu', 'sigmoid', 'tanh', 'softmax'] as const;

const opArb = fc.oneof(
  fc.record({ kind: fc.constant('dense' as const), units: fc.integer({ min: 1, max: 4 }), from: fc.nat() }),
  fc.record({ kind: fc.constant('activation' as const), fn: fc.constantFrom(...FNS), from: fc.nat() }),
  fc.record({ kind: fc.constant('add' as const), from: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constant('concat' as const), from: fc.nat(), other: fc.nat() }),
);

/** Builds a valid DAG: each op reads earlier values (fan-out allowed); all loose ends are concatenated into the output. */
interface RandomOp {
  kind: string;
  from: number;
  other?: number;
  units?: number;
  fn?: (typeof FNS)[number];
}

function build(ops: RandomOp[], inSize: number): GraphDoc {
  const nodes: Spec[0] = [['in', 'input']];
  const edges: Spec[1] = [];
  const pool: { id: string; size: number }[] = [{ id: 'in', size: inSize }];
  const used = new Set<string>();
  ops.forEach((op, i) => {
    const id = `n${i}`;
    const a = pool[op.from % pool.length]!;
    if (op.kind === 'dense') {
      nodes.push([id, 'dense', { units: op.units }]);
      edges.push([a.id, id]);
      pool.push({ id, size: op.units! });
    } else if (op.kind === 'activation') {
      nodes.push([id, 'activation', { fn: op.fn }]);
      edges.push([a.id, id]);
      pool.push({ id, size: a.size });
    } else {
      const candidates = op.kind === 'add' ? pool.filter((p) => p.size === a.size) : pool;
      const b = candidates[(op.other ?? 0) % candidates.length]!;
      nodes.push([id, op.kind as 'add' | 'concat']);
      edges.push([a.id, `${id}.a`], [b.id, `${id}.b`]);
      pool.push({ id, size: op.kind === 'add' ? a.size : a.size + b.size });
      used.add(b.id);
    }
    used.add(a.id);
  });
  // Join every value nobody consumes, so nothing is a dead end.
  let loose = pool.filter((p) => !used.has(p.id) && p.id !== 'in');
  if (loose.length === 0) loose = [pool[pool.length - 1]!];
  let acc = loose[0]!;
  loose.slice(1).forEach((p, i) => {
    const id = `j${i}`;
    nodes.push([id, 'concat']);
    edges.push([acc.id, `${id}.a`], [p.id, `${id}.b`]);
    acc = { id, size: acc.size + p.size };
  });
  nodes.push(['out', 'dense', { units: 2 }], ['L', 'loss', { fn: 'squared_error' }]);
  edges.push([acc.id, 'out'], ['out', 'L.pred'], ['in.y', 'L.target']);
  return graph(nodes, edges);
}

describe('random DAGs', () => {
  it('all parameter gradients match the numerical derivative', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 7 }), fc.integer({ min: 1, max: 3 }), (ops, batch) => {
        checkGradients(build(ops, 3), [3], [2], { batch, seed: ops.length * 13 + batch });
      }),
      { numRuns: 60, seed: 20261122 },
    );
  });
});
