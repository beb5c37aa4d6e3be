// The worker's timeline: snapshots at epoch ends, scrubbing to one, and branching a run from it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeMnist, parseGraph } from '../../engine/index.ts';
import type { FromWorker } from './protocol.ts';
import { createSession } from './session.ts';

const example = (name: string) => parseGraph(JSON.parse(readFileSync(`public/examples/${name}.json`, 'utf8')));

function harness() {
  const out: FromWorker[] = [];
  const session = createSession({
    post: (m) => out.push(m),
    loadMnist: async () => decodeMnist(new Uint8Array(readFileSync('public/data/mnist.bin'))),
    schedule: () => {},
    now: () => performance.now(),
  });
  const of = <T extends FromWorker['type']>(type: T) =>
    out.filter((m): m is Extract<FromWorker, { type: T }> => m.type === type);
  return { session, of };
}

describe('timeline in the training session', () => {
  it('keeps a snapshot per epoch; scrubbing shows that epoch and leaves the live run untouched', async () => {
    const h = harness();
    await h.session.handle({ type: 'load', runId: 1, doc: example('function-fit'), resetWeights: false });
    const first = h
      .of('stats')
      .at(-1)!
      .nodes.find((n) => n.id === 'h')!;
    for (let e = 0; e < 5; e++) await h.session.handle({ type: 'epoch' });
    expect(h.of('timeline').at(-1)!.epochs).toEqual([0, 1, 2, 3, 4, 5]);
    expect(h.of('timeline').at(-1)!.bytes).toBeGreaterThan(0);
    const live = h
      .of('stats')
      .at(-1)!
      .nodes.find((n) => n.id === 'h')!;
    expect(live.mean).not.toBeCloseTo(first.mean, 6);

    await h.session.handle({ type: 'scrub', epoch: 0 });
    const view = h.of('scrubView').at(-1)!;
    expect(view.epoch).toBe(0);
    expect(view.nodes.find((n) => n.id === 'h')!.mean).toBeCloseTo(first.mean, 6);
    expect(view.view?.kind).toBe('curve');

    // The live run continues from where it was, not from the scrubbed epoch.
    await h.session.handle({ type: 'scrub', epoch: 5 });
    expect(
      h
        .of('scrubView')
        .at(-1)!
        .nodes.find((n) => n.id === 'h')!.mean,
    ).toBeCloseTo(live.mean, 6);
    await h.session.handle({ type: 'epoch' });
    expect(h.of('progress').at(-1)!.progress.epoch).toBe(6);
  });

  it('branches from a snapshot: its weights, its epoch, later epochs dropped', async () => {
    const h = harness();
    await h.session.handle({ type: 'load', runId: 1, doc: example('function-fit'), resetWeights: false });
    for (let e = 0; e < 6; e++) await h.session.handle({ type: 'epoch' });
    await h.session.handle({ type: 'scrub', epoch: 2 });
    const at2 = h
      .of('scrubView')
      .at(-1)!
      .nodes.find((n) => n.id === 'h')!.mean;
    await h.session.handle({ type: 'branch', epoch: 2, runId: 2 });
    expect(h.of('branched').at(-1)!.epoch).toBe(2);
    expect(h.of('progress').at(-1)!.progress).toMatchObject({ epoch: 2, batch: 0 });
    expect(
      h
        .of('stats')
        .at(-1)!
        .nodes.find((n) => n.id === 'h')!.mean,
    ).toBeCloseTo(at2, 6);
    expect(h.of('timeline').at(-1)!.epochs).toEqual([0, 1, 2]);
    await h.session.handle({ type: 'epoch' });
    expect(h.of('progress').at(-1)!.progress.epoch).toBe(3);
    expect(h.of('timeline').at(-1)!.epochs).toEqual([0, 1, 2, 3]);
    const weights = h.of('weights').at(-1)!;
    expect(weights.snapshot.epoch).toBe(3);
    expect(weights.snapshot.history?.map((m) => m.epoch)).toEqual([1, 2, 3]);
  });
});
