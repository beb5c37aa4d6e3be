// Work is bounded at analysis time and analysis is linear in the graph (issue 10, item 5).
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../datasets/index.ts';
import { parseGraph } from '../format/parse.ts';
import { leastCpuMs } from '../testing/cpu.ts';
import type { DatasetSpec, GraphDoc } from '../format/types.ts';
import { chain, type Layer } from '../testing/chain.ts';
import { problemMessage } from '../nodes/index.ts';
import { createTrainer } from '../train/trainer.ts';
import { analyzeGraph } from './analyze.ts';
import { MAX_ACTIVATION_BYTES, MAX_STEP_MULTIPLY_ADDS } from './budget.ts';
import { compile } from './compile.ts';
import { CompileError } from './errors.ts';

const circle = (samples: number): DatasetSpec => ({ kind: 'circle', samples, noise: 0 });
/** A 2-D dataset of `samples` points → Dense(units) → relu → Dense(1). */
const wide = (samples: number, units: number, batch: number) =>
  chain(
    circle(samples),
    [
      ['dense', units],
      ['activation', 'relu'],
      ['dense', 1],
    ],
    batch,
  );
const mnist: DatasetSpec = { kind: 'mnist', train: 8000, test: 2000 };
const codes = (doc: GraphDoc) => analyzeGraph(doc).problems.map((p) => [p.code, p.nodeId]);
/** `n` nodes in all: Input, alternating Dense(4)/tanh, Dense(1), Loss. */
const longChain = (n: number, cycle = false) =>
  chain(
    circle(64),
    Array.from({ length: n - 3 }, (_, i): Layer => (i % 2 === 0 ? ['dense', 4] : ['activation', 'tanh'])).concat([
      ['dense', 1],
    ]),
    32,
    { cycle },
  );

describe('bounds on one training step', () => {
  it('a wide layer with a huge batch is a problem naming the node and a batch that fits, not 8 GB per step', () => {
    const doc = wide(200_000, 5000, 100_000);
    const analysis = analyzeGraph(doc);
    expect(analysis.step.batch).toBe(100_000);
    expect(analysis.problems.map((p) => [p.code, p.nodeId])).toEqual([['graph.activation-memory', 'n0']]);
    const p = analysis.problems[0]!;
    expect(p.params).toMatchObject({ batch: 100_000, limitMb: MAX_ACTIVATION_BYTES / 1e6, node: 'n0', maxBatch: 6248 });
    expect(p.message).toBe(
      "One training step needs about 8,002 MB for activations and their gradients (batch 100,000; Dense 'n0' alone 4,000 MB), more than the limit of 500 MB: use a batch size of at most 6,248, or fewer units",
    );
    expect(problemMessage(p.code, p.params, 'ja')).toContain('6,248 以下');
    expect(() => compile(doc)).toThrow(CompileError);
    // The same network trains with a batch that fits, and with the big batch on a small dataset.
    expect(codes({ ...doc, training: { ...doc.training, batchSize: 6000 } })).toEqual([]);
    expect(
      analyzeGraph(
        chain(
          circle(200),
          [
            ['dense', 5000],
            ['dense', 1],
          ],
          100_000,
        ),
      ).step.batch,
    ).toBe(160);
  });

  it('100,000 units with a batch of 100,000 is a CompileError, never a RangeError', () => {
    const doc = chain(
      circle(200_000),
      [
        ['dense', 100_000],
        ['dense', 1],
      ],
      100_000,
    );
    const error = (() => {
      try {
        compile(doc);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CompileError);
    expect((error as CompileError).problems.map((p) => p.code)).toEqual(['graph.activation-memory', 'graph.step-work']);
  });

  it('too many multiply-adds per step is a problem naming the node and a batch that fits', () => {
    const doc = chain(
      mnist,
      [
        ['dense', 8192],
        ['dense', 10],
        ['activation', 'softmax'],
      ],
      3000,
    );
    const analysis = analyzeGraph(doc);
    expect(analysis.problems.map((p) => [p.code, p.nodeId])).toEqual([['graph.step-work', 'n0']]);
    const { params, message } = analysis.problems[0]!;
    expect(params).toMatchObject({ batch: 3000, limit: MAX_STEP_MULTIPLY_ADDS, maxBatch: 2555 });
    expect(message).toBe(
      "One training step takes about 58.7 billion multiply-adds (batch 3,000; Dense 'n0' alone 58 billion), more than the limit of 50 billion: use a batch size of at most 2,555, or fewer units",
    );
    expect(problemMessage('graph.step-work', params, 'ja')).toContain('約 586.9 億回');
    expect(codes({ ...doc, training: { ...doc.training, batchSize: 2500 } })).toEqual([]);
  });

  it('a model runs any batch within the limit and refuses a larger one with a clear RangeError', () => {
    const doc = wide(200, 100_000, 32);
    const model = compile(doc);
    const rows = 400; // 400 × 1.6 MB
    const x = { shape: [rows, 2], data: new Float32Array(rows * 2) };
    expect(() => model.predict(x)).toThrow(/a batch of 400 rows needs 641 MB .* pass at most 312 rows at a time/);
    const small = { shape: [8, 2], data: new Float32Array(16) };
    expect(model.predict(small).shape).toEqual([8, 1]);
  });

  it('the trainer evaluates in chunks that fit the limit', () => {
    const doc = wide(1000, 100_000, 16);
    const trainer = createTrainer(doc, loadDataset(circle(1000), { seed: 1 }));
    const metrics = trainer.evaluate();
    expect(Number.isFinite(metrics.testLoss)).toBe(true);
  });
});

describe('analysis and planning are linear in the number of nodes', () => {
  /** Parse, analyse, compile and one training step of a chain; the least CPU ms of `repeats` runs. */
  const firstStep = (doc: GraphDoc, repeats: number) =>
    leastCpuMs(() => {
      const parsed = parseGraph(JSON.parse(JSON.stringify(doc)));
      const analysis = analyzeGraph(parsed);
      if (analysis.problems.length === 0) {
        const model = compile(parsed);
        model.lossAndGrads({ shape: [4, 2], data: new Float32Array(8) }, { shape: [4, 1], data: new Float32Array(4) });
      }
    }, repeats);

  it('a long cycle gets one short problem per node (its whole length in each was quadratic)', () => {
    const doc = longChain(5000, true);
    const problems = analyzeGraph(doc).problems.filter((p) => p.code === 'graph.cycle');
    expect(problems.length).toBe(4998);
    const chars = problems.reduce((sum, p) => sum + p.message.length + JSON.stringify(p.params).length, 0);
    expect(chars).toBeLessThan(problems.length * 300);
    expect(problems.find((p) => p.nodeId === 'n1')!.message).toBe(
      "Activation 'n1' is on a cycle 'n1' → 'n2' → 'n3' → 'n4' → 'n5' → 'n6' → … → 'n1' (4,998 nodes); data must flow one way",
    );
  });

  it('8k-node chains take well under 20 × the time of 1k-node chains, plain and cyclic', () => {
    for (const cycle of [false, true]) {
      const small = longChain(1000, cycle);
      const big = longChain(8000, cycle);
      firstStep(small, 1); // warm up
      const t1 = firstStep(small, 5);
      const t8 = firstStep(big, 3);
      // NOTE: linear work gives ≈ 8×, quadratic ≈ 64×; CPU time, so a loaded machine does not count.
      expect(t8, `cycle: ${cycle}, 1k: ${t1.toFixed(1)} ms, 8k: ${t8.toFixed(1)} ms`).toBeLessThan(20 * t1 + 50);
    }
  });
});
