// The autosave against an in-memory storage that can fail, and a channel shared by "tabs".
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { compile, createTrainer, encodeWeights, loadDataset, parseGraph } from '../../engine/index.ts';
import { createAutosave, DOC_KEY, TRAINED_KEY } from './autosave.ts';
import { MAX_WAIT_MS } from './autosaveSaving.ts';
import type { AutosaveChannel, AutosaveStorage } from './autosaveTab.ts';
import { createEditor, type Editor } from './editor.ts';
import { randomActions } from './testing/randomCommands.ts';
import { QUOTA_FULL, storageFailure } from './autosaveRecords.ts';
import { DATA_KEY } from './autosaveData.ts';
import { AUTOSAVE_KEYS } from './storageKeys.ts';
import { VERSIONS_KEY, type Version } from './versions.ts';

const xor = () => parseGraph(JSON.parse(readFileSync('public/examples/xor.json', 'utf8')));

/** IndexedDB-like: values are structured clones; `failing` keys throw as a full quota would. */
function memoryStorage() {
  const data = new Map<string, unknown>();
  const failing = new Set<string>();
  const writes: string[] = [];
  const storage: AutosaveStorage = {
    get: async (key) => (data.has(key) ? structuredClone(data.get(key)) : undefined),
    set: async (key, value) => {
      if (failing.has(key)) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      writes.push(key);
      data.set(key, structuredClone(value));
    },
    del: async (key) => {
      data.delete(key);
    },
  };
  return { storage, data, failing, writes };
}

/** Channels of several tabs: a message from one reaches the others. */
function bus() {
  const channels: AutosaveChannel[] = [];
  return () => {
    const channel: AutosaveChannel = {
      onmessage: null,
      postMessage: (message) => {
        for (const c of channels) if (c !== channel) c.onmessage?.({ data: message });
      },
    };
    channels.push(channel);
    return channel;
  };
}

let clock = 1_000_000;
const now = () => clock;
const settle = async (ms = 1000) => {
  for (let t = 0; t < ms; t += 100) {
    clock += 100;
    await vi.advanceTimersByTimeAsync(100);
  }
};

function tab(storage: AutosaveStorage, tabId: string, channel?: AutosaveChannel) {
  const editor = createEditor();
  const autosave = createAutosave({ editor, storage, tabId, now, channel: channel ?? null });
  return { editor, autosave };
}

const moveFirstNode = (editor: Editor, x: number) =>
  editor.run({ type: 'moveNodes', positions: [[editor.getState().doc.nodes[0]!.id, { x, y: 0 }]] });

/** Tab A with XOR, saving, after one edit (its first node at x = 10) was saved. */
async function firstTab(storage: AutosaveStorage, channel: AutosaveChannel) {
  const a = tab(storage, 'A', channel);
  a.editor.load(xor());
  a.autosave.start();
  moveFirstNode(a.editor, 10);
  await settle();
  return a;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('autosave', () => {
  it('saves an edit, and restores it with the trained weights and the optimizer state', async () => {
    const { storage } = memoryStorage();
    const a = tab(storage, 'A');
    a.editor.load(xor());
    const stop = a.autosave.start();
    const doc = a.editor.getState().doc;
    const dataset = loadDataset({ kind: 'xor' }, { seed: 1 });
    const trainer = createTrainer(doc, dataset, { model: compile(doc) });
    for (let i = 0; i < 20; i++) trainer.trainStep();
    a.editor.setWeights(
      { runId: a.editor.getState().runId, step: 0 },
      encodeWeights(trainer.model.params),
      trainer.snapshot(),
    );
    await settle();
    expect(a.autosave.store.getState().doc.kind).toBe('saved');
    stop();

    const b = tab(storage, 'A'); // a reload: the same tab
    expect(await b.autosave.restore()).toBe(true);
    expect(b.editor.getState().doc).toEqual(doc);
    expect(b.editor.getState().weights).toEqual(a.editor.getState().weights);
    expect(b.editor.getState().trained?.epoch).toBe(trainer.epoch);
    expect(b.editor.getState().trained?.optimizer.step).toBe(20);
  });

  it('saves at least every MAX_WAIT_MS while changes keep coming (training), not only when quiet', async () => {
    const { storage, writes } = memoryStorage();
    const a = tab(storage, 'A');
    a.editor.load(xor());
    a.autosave.start();
    for (let i = 0; i < 50; i++) {
      moveFirstNode(a.editor, i);
      await settle(100);
    }
    // 5 s of changes 100 ms apart: the 300 ms quiet time never comes, the maximum interval does.
    expect(writes.filter((k) => k === DOC_KEY).length).toBeGreaterThanOrEqual(Math.floor(5000 / MAX_WAIT_MS));
  });

  it('saves the graph when the weights cannot be saved, and says why', async () => {
    const { storage, data, failing } = memoryStorage();
    failing.add(TRAINED_KEY);
    const a = tab(storage, 'A');
    a.editor.load(xor());
    a.autosave.start();
    const doc = a.editor.getState().doc;
    a.editor.setWeights({ runId: a.editor.getState().runId, step: 0 }, encodeWeights(compile(doc).params));
    moveFirstNode(a.editor, 42);
    await settle();
    expect(a.autosave.store.getState().doc.kind).toBe('saved');
    expect(a.autosave.store.getState().weightsError).toBe(QUOTA_FULL);
    expect((data.get(DOC_KEY) as { doc: { nodes: { position: { x: number } }[] } }).doc.nodes[0]!.position.x).toBe(42);
  });

  it('shows a failed save with the reason instead of "saved"', async () => {
    const { storage, failing } = memoryStorage();
    failing.add(DOC_KEY);
    const a = tab(storage, 'A');
    a.editor.load(xor());
    a.autosave.start();
    moveFirstNode(a.editor, 1);
    await settle();
    // A full quota is named as such (the status bar says it in the user's language), not by its DOMException.
    expect(a.autosave.store.getState().doc).toEqual({ kind: 'failed', reason: QUOTA_FULL });
    expect(storageFailure(new DOMException('', 'QuotaExceededError'))).toBe(QUOTA_FULL);
    expect(storageFailure(new DOMException('', 'UnknownError'))).toBe('UnknownError');
    expect(storageFailure(new DOMException('Disk I/O failed', 'UnknownError'))).toBe('UnknownError: Disk I/O failed');
  });

  it('keeps an unreadable autosave aside, and nothing later overwrites it', async () => {
    const { storage, data } = memoryStorage();
    const hostile = { ...xor(), nodes: 'not a list' };
    data.set(DOC_KEY, { doc: hostile, viewport: null, tabId: 'old', savedAt: 5, lineage: 'L' });
    const a = tab(storage, 'A');
    expect(await a.autosave.restore()).toBe(false);
    expect(a.autosave.store.getState().unreadable?.reason).toMatch(/^nodes/);
    a.editor.load(xor());
    a.autosave.start();
    moveFirstNode(a.editor, 3);
    await settle();
    const versions = data.get(VERSIONS_KEY) as Version[];
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ kind: 'unreadable', doc: hostile });
  });

  it('opening a second tab writes nothing; conflicting edits keep both graphs', async () => {
    const { storage, data, writes } = memoryStorage();
    const channel = bus();
    const a = await firstTab(storage, channel());
    const written = writes.length;

    const b = tab(storage, 'B', channel());
    expect(await b.autosave.restore()).toBe(true);
    b.autosave.start();
    b.editor.setViewport({ x: 5, y: 5, zoom: 1.5 }); // the canvas fits the view on open
    await settle();
    expect(writes.length).toBe(written);
    expect(a.autosave.store.getState().conflict).toBeNull();

    moveFirstNode(b.editor, 20); // B edits: B's graph is the autosave; A is told
    await settle();
    expect(a.autosave.store.getState().conflict).not.toBeNull();
    moveFirstNode(a.editor, 30); // A edits too: its graph goes to a copy, B's stays
    await settle();
    const x0 = (doc: unknown) => (doc as { nodes: { position: { x: number } }[] }).nodes[0]!.position.x;
    expect(x0((data.get(DOC_KEY) as { doc: unknown }).doc)).toBe(20);
    expect((data.get(VERSIONS_KEY) as Version[]).map((v) => [v.id, x0(v.doc)])).toEqual([['conflict-A', 30]]);

    await a.autosave.keepMine(); // A's becomes the autosave; B's is kept as a copy
    expect(x0((data.get(DOC_KEY) as { doc: unknown }).doc)).toBe(30);
    const kept = data.get(VERSIONS_KEY) as Version[];
    expect(kept.map((v) => [v.kind, x0(v.doc)])).toEqual([['conflict', 20]]);
    expect(a.autosave.store.getState().conflict).toBeNull();
  });

  it('two tabs training the same graph: the first run stays the autosave, the second is kept with its weights', async () => {
    const { storage, data } = memoryStorage();
    const channel = bus();
    const a = await firstTab(storage, channel());
    const b = tab(storage, 'B', channel());
    expect(await b.autosave.restore()).toBe(true);
    b.autosave.start();
    const run = (t: ReturnType<typeof tab>, steps: number) => {
      const doc = t.editor.getState().doc;
      const trainer = createTrainer(doc, loadDataset({ kind: 'xor' }, { seed: 1 }), { model: compile(doc) });
      for (let i = 0; i < steps; i++) trainer.trainStep();
      t.editor.setWeights(
        { runId: t.editor.getState().runId, step: 0 },
        encodeWeights(trainer.model.params),
        trainer.snapshot(),
      );
    };
    run(a, 610);
    await settle();
    run(b, 618);
    await settle();
    // B only trained: no edit conflict on either side; B is told where its run is.
    expect(a.autosave.store.getState().conflict).toBeNull();
    expect(b.autosave.store.getState().conflict).toBeNull();
    expect(b.autosave.store.getState().runCopy).toBe('conflict-B');
    run(a, 620); // A keeps saving its run
    await settle();
    const copy = (data.get(VERSIONS_KEY) as Version[]).find((v) => v.id === 'conflict-B')!;
    expect(parseGraph(copy.doc).weights).toEqual(b.editor.getState().weights);
    const reload = tab(storage, 'A');
    expect(await reload.autosave.restore()).toBe(true);
    expect(reload.editor.getState().weights).toEqual(a.editor.getState().weights);
    expect(reload.editor.getState().trained?.optimizer.step).toBe(620);

    // B chooses its run: it becomes the autosave and A's is kept as a copy, with A's weights.
    await b.autosave.keepMine();
    expect(b.autosave.store.getState().runCopy).toBeNull();
    const again = tab(storage, 'A');
    expect(await again.autosave.restore()).toBe(true);
    expect(again.editor.getState().trained?.optimizer.step).toBe(618);
    const theirs = (data.get(VERSIONS_KEY) as Version[]).find((v) => v.id.startsWith('theirs-'))!;
    expect(parseGraph(theirs.doc).weights).toEqual(a.editor.getState().weights);
  });

  it('a damaged record under any autosave key opens the app (kept aside where it held a graph), never throws', async () => {
    const damaged: unknown[] = ['a string', { some: 'object' }, [null], '{"doc": {"format": "nodegrad-gr', 42, true];
    for (const key of AUTOSAVE_KEYS) {
      for (const value of damaged) {
        const label = `${key} = ${JSON.stringify(value)}`;
        const { storage, data } = memoryStorage();
        const a = tab(storage, 'A');
        a.editor.load(xor());
        a.autosave.start();
        a.editor.setWeights(
          { runId: a.editor.getState().runId, step: 0 },
          encodeWeights(compile(a.editor.getState().doc).params),
        );
        moveFirstNode(a.editor, 7);
        await settle();
        data.set(key, structuredClone(value));
        const b = tab(storage, 'B');
        const restored = await b.autosave.restore();
        const state = b.autosave.store.getState();
        expect(Array.isArray(state.versions), label).toBe(true);
        if (key === DOC_KEY) {
          expect(restored, label).toBe(false);
          expect(state.unreadable, label).not.toBeNull();
          expect(state.versions.find((v) => v.id === state.unreadable!.versionId)?.doc, label).toEqual(value);
        } else {
          expect(restored, label).toBe(true);
          expect(b.editor.getState().doc.nodes[0]!.position.x, label).toBe(7);
        }
        if (key === VERSIONS_KEY) {
          const held = Array.isArray(value) ? value.filter((v) => v !== null) : [value];
          for (const v of held)
            expect(
              state.versions.map((k) => k.doc),
              label,
            ).toContainEqual(v);
        }
        if (key === TRAINED_KEY) expect(b.editor.getState().weights, label).toBeUndefined();
        // Saving works on top of it (the app opens the XOR example when nothing was restored).
        if (!restored) b.editor.load(xor());
        b.autosave.start();
        moveFirstNode(b.editor, 8);
        await settle();
        expect(b.autosave.store.getState().doc.kind, label).toBe('saved');
      }
    }
  });

  it('a damaged training snapshot: the weights come back, the optimizer starts afresh, and the notice says why', async () => {
    const { storage, data } = memoryStorage();
    const a = tab(storage, 'A');
    a.editor.load(xor());
    a.autosave.start();
    const doc = a.editor.getState().doc;
    const trainer = createTrainer(doc, loadDataset({ kind: 'xor' }, { seed: 1 }), { model: compile(doc) });
    for (let i = 0; i < 5; i++) trainer.trainStep();
    a.editor.setWeights(
      { runId: a.editor.getState().runId, step: 0 },
      encodeWeights(trainer.model.params),
      trainer.snapshot(),
    );
    await settle();
    const record = data.get(TRAINED_KEY) as { trained: { optimizer: { slots?: unknown } } };
    delete record.trained.optimizer.slots;
    const b = tab(storage, 'A');
    expect(await b.autosave.restore()).toBe(true);
    expect(b.editor.getState().weights).toEqual(a.editor.getState().weights);
    expect(b.editor.getState().trained).toBeUndefined();
    expect(b.editor.getState().notice).toMatchObject({
      key: 'notice.trainedStateDamaged',
      params: { reason: 'optimizer.slots is not a Map' },
    });
  });

  it('weights of one graph never attach to another one with the same shapes', async () => {
    const { storage } = memoryStorage();
    const a = tab(storage, 'A');
    a.editor.load(xor());
    a.autosave.start();
    a.editor.setWeights(
      { runId: a.editor.getState().runId, step: 0 },
      encodeWeights(compile(a.editor.getState().doc).params),
    );
    await settle();
    a.editor.run({ type: 'replaceDocument', doc: { ...xor(), name: 'Another' }, source: 'new' });
    await settle();
    const b = tab(storage, 'A');
    await b.autosave.restore();
    expect(b.editor.getState().doc.name).toBe('Another');
    expect(b.editor.getState().weights).toBeUndefined();
  });

  it('a shared graph on screen writes nothing until adopted; adopting keeps the replaced graph as a version', async () => {
    const { storage, data } = memoryStorage();
    const a = tab(storage, 'A');
    a.editor.load({ ...xor(), name: 'Mine' });
    a.autosave.start();
    moveFirstNode(a.editor, 40);
    await settle();
    // Another visit of the same tab opens a share link: the graph is shown, the autosave not started.
    const b = tab(storage, 'A');
    b.editor.load({ ...xor(), name: 'Shared' });
    moveFirstNode(b.editor, 90);
    await settle();
    expect((data.get(DOC_KEY) as { doc: { name: string } }).doc.name).toBe('Mine');
    await b.autosave.adopt();
    b.autosave.start();
    expect((data.get(DOC_KEY) as { doc: { name: string } }).doc.name).toBe('Shared');
    const versions = data.get(VERSIONS_KEY) as Version[];
    expect(versions.map((v) => [v.kind, (v.doc as { name: string }).name])).toEqual([['replaced', 'Mine']]);
    const c = tab(storage, 'A');
    expect(await c.autosave.restore()).toBe(true);
    expect(c.editor.getState().doc.name).toBe('Shared');
  });

  it('fuzz: whatever random edits do, every saved document parses and restores', async () => {
    const { storage, data } = memoryStorage();
    const a = tab(storage, 'A');
    a.editor.load(xor());
    a.autosave.start();
    const actions = randomActions(a.editor, 777);
    for (let i = 0; i < 150; i++) {
      actions.step();
      if (i % 5 === 0) await settle(400);
      const saved = data.get(DOC_KEY) as { doc: unknown } | undefined;
      if (saved) expect(() => parseGraph(saved.doc)).not.toThrow();
    }
    await settle(400);
    const b = tab(storage, 'A');
    expect(await b.autosave.restore()).toBe(true);
    expect(b.editor.getState().doc).toEqual(a.editor.getState().doc);
  });

  it('a trained graph that an example, New, an import or a variant replaces is kept under Versions, with its weights', async () => {
    const { storage, data } = memoryStorage();
    const a = tab(storage, 'A');
    a.editor.load(xor());
    a.autosave.start();
    const sources = ['example', 'new', 'import', 'compare'] as const;
    for (const source of sources) {
      const weights = encodeWeights(compile(a.editor.getState().doc).params);
      a.editor.setWeights({ runId: a.editor.getState().runId, step: 5 }, weights);
      a.editor.run({ type: 'replaceDocument', doc: { ...xor(), name: `after ${source}` }, source });
      await settle();
      const kept = (data.get(VERSIONS_KEY) as Version[]).filter((v) => v.kind === 'trained');
      expect(kept.length, source).toBe(sources.indexOf(source) + 1);
      expect((kept[0]!.doc as { weights?: unknown }).weights).toEqual(weights);
      expect(a.editor.getState().notice?.key).toBe('notice.keptTrained');
    }
    // An untrained graph replaced is no version (undo brings it back).
    a.editor.run({ type: 'replaceDocument', doc: xor(), source: 'example' });
    await settle();
    expect((data.get(VERSIONS_KEY) as Version[]).filter((v) => v.kind === 'trained')).toHaveLength(sources.length);
  });

  it('inline data is written when it changes, not with every edit of the graph; a reload brings both back', async () => {
    const { storage, data, writes } = memoryStorage();
    const a = tab(storage, 'A');
    const doc = xor();
    const input = doc.nodes.find((n) => n.type === 'input')!;
    const csv = (target: string) => ({ kind: 'csv', text: `a,b,t\n0,0,0\n0,1,1\n1,0,1\n1,1,${target}\n`, target: 't' });
    a.editor.load(
      parseGraph({ ...doc, nodes: doc.nodes.map((n) => (n === input ? { ...n, data: { dataset: csv('0') } } : n)) }),
    );
    a.autosave.start();
    moveFirstNode(a.editor, 1);
    await settle();
    expect(writes.filter((k) => k === DATA_KEY)).toHaveLength(1);
    // Edits that leave the data alone: the graph is saved, the data is not written again.
    a.editor.run({ type: 'setOptimizer', optimizer: { type: 'adam', learningRate: 0.002 } });
    await settle();
    moveFirstNode(a.editor, 2);
    await settle();
    expect(writes.filter((k) => k === DOC_KEY).length).toBeGreaterThanOrEqual(3);
    expect(writes.filter((k) => k === DATA_KEY)).toHaveLength(1);
    expect(JSON.stringify(data.get(DOC_KEY))).not.toContain('1,1,0');
    // A data edit writes it again; a reload brings the graph with its data back.
    a.editor.run({ type: 'setField', nodeId: input.id, key: 'dataset', value: csv('1') });
    await settle();
    expect(writes.filter((k) => k === DATA_KEY)).toHaveLength(2);
    const b = tab(storage, 'A');
    expect(await b.autosave.restore()).toBe(true);
    expect(b.editor.getState().doc).toEqual(a.editor.getState().doc);
    // Without its data record the graph is not opened with other data: it is kept aside, unreadable.
    await storage.del(DATA_KEY);
    const c = tab(storage, 'A');
    expect(await c.autosave.restore()).toBe(false);
    expect(c.autosave.store.getState().unreadable).not.toBeNull();
  });
});
