// A CNN in the worker: feature maps and filters for the nodes, the picked test image, the timeline
// (feature maps and BatchNorm's running statistics of a past epoch), the gradient check and the health
// findings of convolution layers — on the mnist-cnn example, its data cut to 512 / 48 digits.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createTrainer,
  decodeMnist,
  type GraphDoc,
  loadDataset,
  type MnistData,
  NODE_DEFINITIONS,
  parseGraph,
  type Trainer,
} from '../../engine/index.ts';
import { assessHealth, HEALTH_LIMITS } from '../train/health.ts';
import { featureMaps, hasMaps, MAX_MAP_CHANNELS } from './featureMaps.ts';
import type { FromWorker, NodeMaps } from './protocol.ts';
import { createSession } from './session.ts';

const mnist: MnistData = decodeMnist(new Uint8Array(readFileSync('public/data/mnist.bin')));

function smallCnn(): GraphDoc {
  const doc = parseGraph(JSON.parse(readFileSync('public/examples/mnist-cnn.json', 'utf8')));
  const input = doc.nodes.find((n) => n.type === 'input')!;
  if (input.type === 'input') input.data.dataset = { kind: 'mnist', train: 512, test: 48 };
  return doc;
}

function trainerOf(doc: GraphDoc): Trainer {
  const spec = doc.nodes.find((n) => n.type === 'input')!.data.dataset!;
  return createTrainer(doc, loadDataset(spec as never, { seed: doc.training.seed, mnist }));
}

function harness() {
  const out: FromWorker[] = [];
  const session = createSession({
    post: (m) => out.push(m),
    loadMnist: async () => mnist,
    schedule: () => {},
    now: () => performance.now(),
  });
  const of = <T extends FromWorker['type']>(type: T) =>
    out.filter((m): m is Extract<FromWorker, { type: T }> => m.type === type);
  return { session, out, of };
}

/** The health findings of `doc` after `epochs` epochs in a session, with the statistics they came from. */
async function healthAfter(doc: GraphDoc, epochs: number) {
  const h = harness();
  await h.session.handle({ type: 'load', runId: 1, doc, resetWeights: false });
  for (let e = 0; e < epochs; e++) await h.session.handle({ type: 'epoch' });
  const nodes = new Map(
    h
      .of('stats')
      .at(-1)!
      .nodes.map((n) => [n.id, n]),
  );
  const history = h.of('epochs').flatMap((m) => m.metrics);
  return { nodes, findings: assessHealth({ doc, nodes, history, initialLoss: h.of('ready')[0]!.initialLoss }) };
}

const byId = (maps: readonly NodeMaps[]) => new Map(maps.map((m) => [m.id, m]));

function expectSameMaps(a: readonly NodeMaps[], b: readonly NodeMaps[]): void {
  expect(a.map((m) => m.id)).toEqual(b.map((m) => m.id));
  const other = byId(b);
  for (const m of a) {
    const o = other.get(m.id)!;
    let worst = 0;
    for (let i = 0; i < m.data.length; i++) worst = Math.max(worst, Math.abs(m.data[i]! - o.data[i]!));
    expect(worst, m.id).toBeLessThan(1e-5);
  }
}

describe('a CNN in the worker', () => {
  it('feature maps: every node whose definition shows maps and whose output is an image, channel planes of that test image', () => {
    const doc = smallCnn();
    const trainer = trainerOf(doc);
    for (let i = 0; i < 5; i++) trainer.trainStep();
    const maps = featureMaps(trainer, 3)!;
    expect(maps.sample).toBe(3);
    const expected = trainer.model.info.nodes.filter((n) => hasMaps(n.type, n.outputShape)).map((n) => n.id);
    expect(maps.nodes.map((m) => m.id)).toEqual(expected);
    // The registry decides: each type that says featureMaps and has an image output here is among them.
    const shown = new Set(NODE_DEFINITIONS.filter((d) => d.featureMaps).map((d) => d.type as string));
    for (const n of trainer.model.info.nodes)
      expect(expected.includes(n.id), n.id).toBe(shown.has(n.type) && n.outputShape?.length === 3);
    expect(expected.length).toBeGreaterThanOrEqual(7);
    // Independently: the sample alone through predict (a batch of 1), read channels last.
    const { x } = trainer.dataset.test;
    const size = trainer.info.inputSize;
    trainer.model.predict({ shape: [1, ...trainer.dataset.inputShape], data: x.data.slice(3 * size, 4 * size) });
    const acts = trainer.model.activations();
    for (const m of maps.nodes) {
      const a = acts.get(m.id)!;
      expect([m.height, m.width, m.total]).toEqual(a.shape.slice(1));
      expect(m.channels).toBe(Math.min(m.total, MAX_MAP_CHANNELS));
      for (let c = 0; c < m.channels; c++)
        for (let p = 0; p < m.height * m.width; p += 7)
          expect(m.data[c * m.height * m.width + p]!).toBeCloseTo(a.data[p * m.total + c]!, 5);
    }
  });

  it('filters travel with the statistics; the picked test image is shown at once when standing, of the standing step', async () => {
    const h = harness();
    await h.session.handle({ type: 'load', runId: 1, doc: smallCnn(), resetWeights: false });
    expect(h.of('maps').at(-1)!.maps.sample).toBe(0);
    for (let i = 0; i < 3; i++) await h.session.handle({ type: 'step' });
    const c1 = h
      .of('stats')
      .at(-1)!
      .nodes.find((n) => n.id === 'c1')!;
    expect(c1.filters).toMatchObject({ kh: 5, kw: 5, inChannels: 1, filters: 8 });
    expect(c1.filters!.data).toHaveLength(5 * 5 * 8);
    await h.session.handle({ type: 'setMapsSample', sample: 5 });
    const picked = h.out.at(-1)!;
    expect(picked).toMatchObject({ type: 'maps', runId: 1, step: 3 });
    if (picked.type === 'maps') expect(picked.maps.sample).toBe(5);
  });

  it('the timeline: a scrubbed epoch shows that epoch’s feature maps and BatchNorm statistics; the live ones come back', async () => {
    const doc = smallCnn();
    const h = harness();
    await h.session.handle({ type: 'load', runId: 1, doc, resetWeights: false });
    await h.session.handle({ type: 'epoch' });
    await h.session.handle({ type: 'epoch' });
    // The same training outside the worker (same engine, seed and data: the same weights and buffers).
    const twin = trainerOf(doc);
    twin.trainEpoch();
    const atEpoch1 = featureMaps(twin, 0)!;
    const running1 = Float32Array.from(twin.model.buffers.get('n1.runningMean')!.data);
    twin.trainEpoch();
    const atEpoch2 = featureMaps(twin, 0)!;
    expectSameMaps(h.of('maps').at(-1)!.maps.nodes, atEpoch2.nodes);
    expect(Array.from(twin.model.buffers.get('n1.runningMean')!.data)).not.toEqual(Array.from(running1));

    await h.session.handle({ type: 'scrub', epoch: 1 });
    const scrub = h.of('scrubView').at(-1)!;
    expect(scrub.epoch).toBe(1);
    // n1's maps (inference: normalised by the running statistics) are epoch 1's only if its buffers were too.
    expectSameMaps(scrub.maps!.nodes, atEpoch1.nodes);
    await h.session.handle({ type: 'setMapsSample', sample: 0 });
    expectSameMaps(h.of('maps').at(-1)!.maps.nodes, atEpoch2.nodes);
  });

  it('the gradient check covers every parameter of a CNN: convolution W and b, BatchNorm gamma and beta', async () => {
    // The example (its convolutions feed BatchNorm, which cancels a bias: they have none) and the same
    // network without BatchNorm, its convolutions with a bias.
    const withoutNorm = smallCnn();
    const norms = new Set(withoutNorm.nodes.filter((n) => n.type === 'batchnorm').map((n) => n.id));
    withoutNorm.nodes = withoutNorm.nodes.filter((n) => !norms.has(n.id));
    withoutNorm.edges = withoutNorm.edges.flatMap((e) => {
      if (norms.has(e.source)) return [];
      if (!norms.has(e.target)) return [e];
      const out = withoutNorm.edges.find((o) => o.source === e.target)!;
      return [{ ...e, target: out.target, targetHandle: out.targetHandle }];
    });
    for (const n of withoutNorm.nodes) if (n.type === 'conv2d') n.data.bias = true;
    const seen = new Set<string>();
    for (const doc of [smallCnn(), withoutNorm]) {
      const h = harness();
      await h.session.handle({ type: 'load', runId: 1, doc, resetWeights: false });
      await h.session.handle({ type: 'step' });
      await h.session.handle({ type: 'gradcheck' });
      const check = h.of('gradcheck').at(-1)!;
      const keys = [...trainerOf(doc).model.params.keys()];
      expect(check.result.params.map((p) => p.key)).toEqual(keys);
      for (const p of check.result.params) {
        expect(p.checked, p.key).toBeGreaterThan(0);
        expect(p.maxRelError, `${p.key}: ${JSON.stringify(p.worst)}`).toBeLessThan(1e-3);
        seen.add(p.key);
      }
    }
    expect([...seen]).toEqual(expect.arrayContaining(['c1.W', 'c1.b', 'c2.W', 'c2.b', 'n1.gamma', 'n1.beta']));
  });

  it('health: the mnist-cnn example training normally shows no vanishing or exploding gradient on any layer', async () => {
    const { findings } = await healthAfter(smallCnn(), 2);
    const flow = [...findings].flatMap(([id, fs]) =>
      fs.filter((f) => f.code === 'vanishing' || f.code === 'exploding').map((f) => `${id} ${f.code} ${f.value}`),
    );
    expect(flow).toEqual([]);
  });

  it('health: convolution layers get the update-size finding from their real statistics', async () => {
    const doc = smallCnn();
    doc.training.optimizer = { type: 'sgd', learningRate: 1e-7 };
    const { nodes, findings } = await healthAfter(doc, 1);
    for (const conv of ['c1', 'c2']) {
      expect(nodes.get(conv)!.updateRatio!).toBeLessThan(HEALTH_LIMITS.update.low);
      expect(findings.get(conv)?.map((f) => f.code)).toContain('update-small');
    }
  });
});
