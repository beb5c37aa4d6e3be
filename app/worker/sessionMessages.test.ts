// The worker's logic with a model on two threads by messages (a page that is not cross-origin
// isolated), driven in Node with real time and a helper behind a MessageChannel: the run loop awaits
// each step, and a pause or another graph loaded while a step is in flight leaves nothing of the old
// run posted afterwards.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMessageHelper,
  decodeMnist,
  type HelperPort,
  parseGraph,
  setMessageSpawner,
  setThreadSpawner,
} from '../../engine/index.ts';
import type { FromWorker } from './protocol.ts';
import { createSession } from './session.ts';

/**
 * A message helper behind a MessageChannel in this thread: its answer arrives in a later task, as a
 * worker's does, so a step is in flight between the two (what these tests are about).
 */
function channelHelper(): HelperPort {
  const channel = new MessageChannel();
  const serve = createMessageHelper((reply, transfer) => channel.port2.postMessage(reply, transfer));
  channel.port2.onmessage = (event) => serve(event.data);
  const port: HelperPort = {
    postMessage: (message, transfer) => channel.port1.postMessage(message, transfer),
    onmessage: null,
    terminate: () => {
      channel.port1.close();
      channel.port2.close();
    },
  };
  channel.port1.onmessage = (event) => port.onmessage?.({ data: event.data });
  return port;
}

const example = (name: string) => parseGraph(JSON.parse(readFileSync(`public/examples/${name}.json`, 'utf8')));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A session whose scheduled tasks run on real timers (the helper answers in real time). */
function liveSession() {
  const out: FromWorker[] = [];
  const session = createSession({
    post: (m) => out.push(m),
    loadMnist: async () => decodeMnist(new Uint8Array(readFileSync('public/data/mnist.bin'))),
    schedule: (fn, delayMs = 0) => void setTimeout(fn, delayMs),
    now: () => performance.now(),
  });
  const of = <T extends FromWorker['type']>(type: T) =>
    out.filter((m): m is Extract<FromWorker, { type: T }> => m.type === type);
  /** Waits (up to 60 s) until `done()` holds. */
  const until = async (done: () => boolean) => {
    for (let i = 0; i < 3000 && !done(); i++) await sleep(20);
    expect(done()).toBe(true);
  };
  return { session, out, of, until };
}

/** MNIST MLP on two threads by messages, training: resolves once a step by messages has been reported. */
async function trainingByMessages(h: ReturnType<typeof liveSession>, epochs = 20) {
  const doc = example('mnist');
  doc.training.epochs = epochs;
  await h.session.handle({ type: 'setThreads', threads: 2 });
  await h.session.handle({ type: 'load', runId: 1, doc, resetWeights: false });
  // NOTE: steps run on one thread until the helper has compiled; a standing step shows when it has.
  await h.until(() => {
    void h.session.handle({ type: 'step' });
    return h.of('progress').at(-1)?.progress.threadsBy === 'messages';
  });
  await h.session.handle({ type: 'start' });
  await h.until(() => h.of('progress').some((m) => m.progress.running && m.progress.threads === 2));
}

describe('training session with two threads by messages', () => {
  beforeAll(() => {
    setThreadSpawner(null);
    setMessageSpawner(channelHelper, { cores: 2 });
  });
  afterAll(() => setMessageSpawner(null));

  it('a run trains to its end by awaited steps, in the order the session tests check', async () => {
    const h = liveSession();
    await trainingByMessages(h, 2);
    await h.until(() => h.of('done').length === 1);
    await sleep(100);
    const types = h.out.map((m) => m.type);
    expect(types.indexOf('done')).toBeLessThan(types.lastIndexOf('progress'));
    expect(types.lastIndexOf('output')).toBeLessThan(types.indexOf('done'));
    expect(h.of('done')[0]!.progress).toMatchObject({ epoch: 2, epochsTotal: 2, running: false });
    expect(h.of('epochs').flatMap((m) => m.metrics.map((e) => e.epoch))).toEqual([1, 2]);
    expect(h.of('error')).toEqual([]);
  });

  it('a pause while a step is in flight: after its report nothing more of the run is posted', async () => {
    const h = liveSession();
    await trainingByMessages(h);
    await h.session.handle({ type: 'pause' });
    const posted = h.out.length;
    expect(h.of('progress').at(-1)!.progress.running).toBe(false);
    await sleep(500);
    expect(h.out.slice(posted)).toEqual([]);
  });

  it('another graph loaded while a step is in flight: nothing of the old run is posted after the new one begins', async () => {
    const h = liveSession();
    await trainingByMessages(h);
    await h.session.handle({ type: 'load', runId: 2, doc: example('xor'), resetWeights: false });
    const first = h.out.findIndex((m) => m.runId === 2);
    const ready = h.out[first]!;
    if (ready.type !== 'ready') throw new Error(`the new run began with ${ready.type}`);
    // Standing: nothing at all comes until the new run starts (the old loop, stamped with the new
    // run's id, would post MNIST's progress).
    const posted = h.out.length;
    await sleep(500);
    expect(h.out.slice(posted)).toEqual([]);
    await h.session.handle({ type: 'start' });
    await h.until(() => h.of('done').length === 1);
    expect(h.out.slice(first).filter((m) => m.runId !== 2)).toEqual([]);
    const after = h.out.slice(first).flatMap((m) => (m.type === 'progress' ? [m.progress.batchesPerEpoch] : []));
    expect(new Set(after)).toEqual(new Set([ready.batchesPerEpoch]));
    expect(h.of('done')[0]!.runId).toBe(2);
    expect(h.of('error')).toEqual([]);
  });
});
