// The Compare pool driven headless: fake workers that run the real training session in-process.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeTensor, parseGraph, parseVary, sweepVariants } from '../../engine/index.ts';
import type { WorkerLike } from '../worker/protocol.ts';
import type { FromWorker, ToWorker } from '../worker/protocol.ts';
import { createSession } from '../worker/session.ts';
import { appendThinned, type CompareState, startComparePool, threadCount } from './comparePool.ts';

const example = (name: string) => parseGraph(JSON.parse(readFileSync(`public/examples/${name}.json`, 'utf8')));

/** Workers whose messages go through the real session (worker.ts's logic) on timers, as a thread would. */
function fakeWorkers() {
  const made: { terminated: boolean; received: ToWorker['type'][] }[] = [];
  const spawn = (): WorkerLike => {
    const record = { terminated: false, received: [] as ToWorker['type'][] };
    made.push(record);
    const w: WorkerLike = {
      onmessage: null,
      onerror: null,
      postMessage(m) {
        record.received.push(m.type);
        setTimeout(() => void session.handle(structuredClone(m)), 0);
      },
      terminate() {
        record.terminated = true;
      },
    };
    const session = createSession({
      post: (m: FromWorker) => {
        if (!record.terminated) setTimeout(() => !record.terminated && w.onmessage?.({ data: m }), 0);
      },
      loadMnist: () => Promise.reject(new Error('no MNIST here')),
      schedule: (fn, delay = 0) => setTimeout(() => !record.terminated && fn(), delay),
      now: () => performance.now(),
    });
    return w;
  };
  return { spawn, made };
}

const until = (pool: { store: { getState(): CompareState } }, test: (s: CompareState) => boolean) =>
  new Promise<void>((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      if (test(pool.store.getState())) resolve();
      else if (Date.now() - started > 20_000) reject(new Error('timed out'));
      else setTimeout(poll, 10);
    };
    poll();
  });

describe('compare pool', () => {
  it('trains every variant on at most `threads` workers, each taking the next, and keeps curves, views and weights', async () => {
    const variants = sweepVariants(example('xor'), [parseVary('h.units=1,2,4')]);
    const fake = fakeWorkers();
    const pool = startComparePool({ variants, epochs: 150, threads: 2, spawn: fake.spawn });
    expect(pool.store.getState().variants.map((v) => v.status)).toEqual(['running', 'running', 'waiting']);
    await until(pool, (s) => s.status === 'done');
    const s = pool.store.getState();
    expect(fake.made).toHaveLength(2);
    expect(fake.made.every((w) => w.terminated)).toBe(true);
    // one worker trained two variants, one after the other
    expect(fake.made.map((w) => w.received.filter((t) => t === 'load').length).sort()).toEqual([1, 2]);
    expect(s.variants.map((v) => [v.key, v.label, v.status])).toEqual([
      ['h.units=1', 'h.units = 1', 'done'],
      ['h.units=2', 'h.units = 2', 'done'],
      ['h.units=4', 'h.units = 4', 'done'],
    ]);
    for (const [i, units] of [1, 2, 4].entries()) {
      const v = s.variants[i]!;
      expect(v.history.map((m) => m.epoch)).toEqual(Array.from({ length: 150 }, (_, k) => k + 1));
      expect(v.epoch).toBe(150);
      expect(v.view?.kind).toBe('surface');
      expect(decodeTensor(v.weights!.h!.W!).shape).toEqual([2, units]);
    }
  });

  it('cancel stops every run and terminates the workers', async () => {
    const variants = sweepVariants(example('xor'), [parseVary('h.units=2,3,4')]);
    const fake = fakeWorkers();
    const pool = startComparePool({ variants, epochs: 1_000_000, threads: 2, spawn: fake.spawn });
    await until(pool, (s) => s.variants[0]!.epoch > 5);
    pool.cancel();
    const s = pool.store.getState();
    expect(s.status).toBe('cancelled');
    expect(s.variants.map((v) => v.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(fake.made.every((w) => w.terminated)).toBe(true);
    const epoch = s.variants[0]!.epoch;
    await new Promise((r) => setTimeout(r, 100));
    expect(pool.store.getState().variants[0]!.epoch).toBe(epoch);
  });

  it('thins a long history evenly, keeping the newest epoch', () => {
    const m = (epoch: number) => ({ epoch, trainLoss: 1 / epoch, testLoss: 1, seconds: 0 });
    let h = appendThinned([], [m(1), m(2), m(3)], 4);
    expect(h.map((x) => x.epoch)).toEqual([1, 2, 3]);
    for (let e = 4; e <= 100; e++) h = appendThinned(h, [m(e)], 4);
    expect(h.length).toBeLessThanOrEqual(4);
    expect(h[h.length - 1]!.epoch).toBe(100);
    expect(h[0]!.epoch).toBe(1);
  });

  it('uses one worker per core, at most one per variant', () => {
    expect(threadCount(3, 8)).toBe(3);
    expect(threadCount(9, 4)).toBe(4);
    expect(threadCount(5, undefined)).toBe(2);
    expect(threadCount(0, 4)).toBe(1);
  });
});
