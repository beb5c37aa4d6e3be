// The worker's logic driven directly in Node: messages in, messages out.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGraph } from '../../engine/index.ts';
import { loadMnistFile } from '../../engine/node.ts';
import { type FromWorker, transferables } from './protocol.ts';
import { createSession } from './session.ts';

const example = (name: string) => parseGraph(JSON.parse(readFileSync(`public/examples/${name}.json`, 'utf8')));

function harness() {
  const out: FromWorker[] = [];
  const tasks: (() => void)[] = [];
  const session = createSession({
    post: (m) => out.push(m),
    loadMnist: async () => loadMnistFile(),
    schedule: (fn) => tasks.push(fn),
    now: () => performance.now(),
  });
  const drain = async (max = 10_000) => {
    for (let i = 0; i < max && tasks.length > 0; i++) tasks.shift()!();
  };
  const of = <T extends FromWorker['type']>(type: T) =>
    out.filter((m): m is Extract<FromWorker, { type: T }> => m.type === type);
  return { session, out, drain, of };
}

describe('training session (worker logic)', () => {
  it('load reports the initial loss, step trains exactly one batch, reset restores the initial loss', async () => {
    const h = harness();
    await h.session.handle({ type: 'load', doc: example('function-fit'), resetWeights: false });
    const ready = h.of('ready')[0]!;
    expect(ready.batchesPerEpoch).toBe(8);
    expect(ready.initialLoss).toBeGreaterThan(0.1);
    await h.session.handle({ type: 'step' });
    const p = h.of('progress').at(-1)!.progress;
    expect([p.epoch, p.batch, p.samples]).toEqual([0, 1, 20]);
    await h.session.handle({ type: 'epoch' });
    expect(h.of('epochs').flatMap((m) => m.metrics)).toHaveLength(1);
    expect(h.of('progress').at(-1)!.progress).toMatchObject({ epoch: 1, batch: 0, samples: 160 });
    await h.session.handle({ type: 'reset' });
    expect(h.of('ready').at(-1)!.initialLoss).toBe(ready.initialLoss);
  });

  it('start trains in slices until the epochs are done, posting stats, output and weights', async () => {
    const h = harness();
    const doc = example('xor');
    doc.training.epochs = 300;
    await h.session.handle({ type: 'load', doc, resetWeights: false });
    await h.session.handle({ type: 'start' });
    await h.drain();
    expect(h.of('done')).toHaveLength(1);
    expect(
      h
        .of('epochs')
        .flatMap((m) => m.metrics)
        .map((m) => m.epoch),
    ).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    // Throttled: far fewer messages than epochs.
    expect(h.out.length).toBeLessThan(100);
    const stats = h.of('stats').at(-1)!.nodes;
    expect(stats.map((n) => n.id)).toEqual(['in', 'h', 'ha', 'o', 'oa']);
    const dense = stats.find((n) => n.id === 'h')!;
    expect(dense.weightNorm).toBeGreaterThan(0);
    expect(dense.histogram.reduce((a, b) => a + b)).toBe(4 * 3);
    expect(dense.gradNorm).toBeGreaterThan(0);
    const view = h.of('output').at(-1)!.view;
    expect(view.kind).toBe('surface');
    if (view.kind === 'surface') expect(view.grid).toHaveLength(40 * 40);
    expect(Object.keys(h.of('weights').at(-1)!.weights)).toEqual(['h', 'o']);
    // Buffers travel in the transfer list.
    expect(transferables(h.of('stats').at(-1)!).length).toBeGreaterThanOrEqual(5);
  });

  it('pause stops the loop; a NaN stops training and names the node', async () => {
    const h = harness();
    const doc = example('function-fit');
    doc.training.optimizer = { type: 'sgd', learningRate: 0.1 };
    await h.session.handle({ type: 'load', doc, resetWeights: false });
    await h.session.handle({ type: 'start' });
    await h.session.handle({ type: 'pause' });
    await h.drain();
    expect(h.of('progress').at(-1)!.progress.running).toBe(false);
    expect(h.of('done')).toHaveLength(0);
    await h.session.handle({ type: 'setLearningRate', value: 1e6 });
    await h.session.handle({ type: 'start' });
    await h.drain();
    const nan = h.of('nonFinite');
    expect(nan).toHaveLength(1);
    expect(['h', 'ha', 'o', 'L']).toContain(nan[0]!.report.nodeId);
  });

  it('reports compile problems with the node, and MNIST output with digits and a confusion matrix', async () => {
    const h = harness();
    const broken = example('xor');
    broken.edges = broken.edges.filter((e) => e.id !== 'e3');
    await h.session.handle({ type: 'load', doc: broken, resetWeights: false });
    expect(h.of('error')[0]).toMatchObject({ nodeId: 'o' });
    const mnist = example('mnist');
    if (mnist.nodes[0]!.type === 'input') mnist.nodes[0]!.data.dataset = { kind: 'mnist', train: 500, test: 200 };
    await h.session.handle({ type: 'load', doc: mnist, resetWeights: false });
    await h.session.handle({ type: 'epoch' });
    const view = h.of('output').at(-1)!.view;
    expect(view.kind).toBe('digits');
    if (view.kind === 'digits') {
      expect(view.labels).toHaveLength(24);
      expect(view.confusion!.reduce((a, b) => a + b)).toBe(200);
    }
    const first = h
      .of('stats')
      .at(-1)!
      .nodes.find((n) => n.id === 'h')!;
    expect(first.weights).toMatchObject({ rows: 784, cols: 64 });
    expect(
      h
        .of('stats')
        .at(-1)!
        .nodes.find((n) => n.id === 'ha')!.dead,
    ).toBeGreaterThanOrEqual(0);
  });
});
