// Headless tests of the editor core: commands as data, undo/redo, the validity gate. No rendering.
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { compile, encodeTensor, encodeWeights, MAX_NODES, parseGraph } from '../../engine/index.ts';
import { importText } from '../io/files.ts';
import { createEditor, type Editor } from './editor.ts';
import { emptyDocument, exportedDocument } from './documents.ts';
import { HISTORY_LIMIT } from './history.ts';
import { insertBefore, quickFix } from './quickFixes.ts';
import { matchShortcut } from './shortcuts.ts';
import { randomActions } from './testing/randomCommands.ts';

const example = (name: string) => parseGraph(JSON.parse(readFileSync(`public/examples/${name}.json`, 'utf8')));
const xor = () => example('xor');
let editor: Editor;
const s = () => editor.getState();
const ok = (r: ReturnType<Editor['run']>) => {
  if (!r.ok) throw new Error(r.reason.message);
  return r.ids;
};

beforeEach(() => {
  editor = createEditor();
});

describe('commands with undo and redo', () => {
  it('add, connect, delete, and undo/redo each as one step; commands return the ids they create', () => {
    expect(ok(editor.run({ type: 'addNode', nodeType: 'input', position: { x: 0, y: 0 } }))).toEqual(['in1']);
    expect(ok(editor.run({ type: 'addNode', nodeType: 'dense', position: { x: 200, y: 0 } }))).toEqual(['dense1']);
    ok(editor.run({ type: 'connect', source: 'in1', sourceHandle: 'x', target: 'dense1', targetHandle: 'in' }));
    expect(s().doc.edges).toEqual([
      { id: 'e1', source: 'in1', sourceHandle: 'x', target: 'dense1', targetHandle: 'in' },
    ]);
    expect(s().analysis.edgeShapes.get('e1')).toEqual([2]);
    ok(editor.run({ type: 'delete', nodeIds: ['in1'], edgeIds: [] }));
    expect(s().doc.nodes.map((n) => n.id)).toEqual(['dense1']);
    expect(s().doc.edges).toEqual([]);
    editor.undo();
    expect(s().doc.edges).toHaveLength(1);
    editor.undo();
    editor.undo();
    expect(s().doc.nodes.map((n) => n.id)).toEqual(['in1']);
    editor.redo();
    editor.redo();
    expect(s().doc.edges).toHaveLength(1);
    expect(editor.undoLabel()).toEqual({ key: 'cmd.connect', params: {} });
  });

  it('a new command clears redo; selection does not', () => {
    editor.run({ type: 'addNode', nodeType: 'dense', position: { x: 0, y: 0 } });
    editor.run({ type: 'addNode', nodeType: 'dense', position: { x: 0, y: 0 } });
    editor.undo();
    editor.select(['dense1']);
    expect(s().history.future).toHaveLength(1);
    editor.run({ type: 'rename', name: 'x' });
    expect(s().history.future).toHaveLength(0);
  });

  it('keeps at least 200 undo steps', () => {
    editor.run({ type: 'addNode', nodeType: 'dense', position: { x: 0, y: 0 } });
    for (let i = 1; i <= 220; i++) editor.run({ type: 'moveNodes', positions: [['dense1', { x: i, y: 0 }]] });
    expect(s().history.past.length).toBe(221);
    expect(HISTORY_LIMIT).toBeGreaterThanOrEqual(200);
    for (let i = 0; i < 220; i++) editor.undo();
    expect(s().doc.nodes[0]!.position).toEqual({ x: 0, y: 0 });
  });

  it('a whole drag is one undo step; loading the startup example enters no history', () => {
    editor.load(xor());
    expect(s().history.past).toHaveLength(0);
    editor.dragNodes(new Map([['h', { x: 10, y: 10 }]]));
    editor.dragNodes(new Map([['h', { x: 50, y: 60 }]]));
    expect(s().doc.nodes.find((n) => n.id === 'h')!.position).not.toEqual({ x: 50, y: 60 });
    editor.endDrag();
    expect(s().doc.nodes.find((n) => n.id === 'h')!.position).toEqual({ x: 50, y: 60 });
    expect(s().history.past).toHaveLength(1);
    expect(s().livePositions.size).toBe(0);
  });

  it('paste keeps internal edges with fresh ids', () => {
    editor.load(xor());
    const nodes = s().doc.nodes.filter((n) => ['h', 'ha'].includes(n.id));
    const edges = s().doc.edges.filter((e) => e.source === 'h' && e.target === 'ha');
    expect(ok(editor.run({ type: 'paste', nodes, edges, offset: { x: 40, y: 40 } }))).toEqual([
      'dense1',
      'activation1',
    ]);
    expect(s().doc.edges.at(-1)).toMatchObject({ source: 'dense1', target: 'activation1' });
    // The pasted pair keeps its arrangement (it moves to free space as a whole).
    const at = (id: string) => s().doc.nodes.find((n) => n.id === id)!.position;
    expect(at('activation1').x - at('dense1').x).toBe(at('ha').x - at('h').x);
    expect(at('activation1').y - at('dense1').y).toBe(at('ha').y - at('h').y);
  });

  it('insertNode splits an edge around the new node as one undo step', () => {
    editor.load(xor());
    const edge = s().doc.edges.find((e) => e.source === 'in' && e.target === 'h')!;
    const [id] = ok(
      editor.run({ type: 'insertNode', nodeType: 'flatten', edgeId: edge.id, position: { x: 100, y: 0 } }),
    );
    expect(id).toBe('flatten1');
    const edges = s().doc.edges.map((e) => `${e.source}.${e.sourceHandle}→${e.target}.${e.targetHandle}`);
    expect(edges).toContain('in.x→flatten1.in');
    expect(edges).toContain('flatten1.out→h.in');
    expect(edges).not.toContain('in.x→h.in');
    expect(s().analysis.problems).toEqual([]);
    editor.undo();
    expect(s().doc).toEqual(xor());
  });

  it('the Insert Flatten fix puts Flatten where the Dense was and moves that row right, as one undo step', () => {
    editor.load(xor());
    const before = new Map(s().doc.nodes.map((n) => [n.id, n.position]));
    const command = insertBefore(s().doc, 'h', 'flatten');
    if (!command) throw new Error('no fix');
    const [id] = ok(editor.run(command));
    const at = (n: string) => s().doc.nodes.find((m) => m.id === n)!.position;
    expect(at(id!)).toEqual(before.get('h'));
    expect(at('h').x).toBeGreaterThan(before.get('h')!.x);
    expect(at('in')).toEqual(before.get('in'));
    // Nodes of the other row stay.
    expect(at('o')).toEqual(before.get('o'));
    editor.undo();
    expect(s().doc).toEqual(xor());
  });

  it('a Conv2D fed the flat MNIST pixels offers Insert Reshape, which makes them a [28, 28, 1] image', () => {
    const doc = example('mnist-cnn');
    // the example without its Reshape: the Input's 784 pixels straight into the convolution
    doc.nodes = doc.nodes.filter((n) => n.id !== 'img');
    doc.edges = [
      ...doc.edges.filter((e) => e.source !== 'img' && e.target !== 'img'),
      { id: 'direct', source: 'in', sourceHandle: 'x', target: 'c1', targetHandle: 'in' },
    ];
    editor.load(doc);
    const problem = s().analysis.problems.find((p) => p.nodeId === 'c1')!;
    expect(problem.code).toBe('conv2d.input-rank');
    const fix = quickFix(s().doc, problem);
    expect(fix?.insert).toBe('reshape');
    const [id] = ok(editor.run(fix!.command));
    expect(s().doc.nodes.find((n) => n.id === id)?.data).toEqual({ shape: [28, 28, 1] });
    expect(s().analysis.problems).toEqual([]);
    editor.undo();
    expect(s().analysis.problems.map((p) => p.code)).toEqual(['conv2d.input-rank']);
  });

  it('structural edits drop only the trained weights that no longer fit', () => {
    editor.load(xor());
    editor.setWeights(
      { runId: editor.getState().runId, step: 0 },
      {
        h: {
          W: encodeTensor({ shape: [2, 3], data: new Float32Array(6) }),
          b: encodeTensor({ shape: [3], data: new Float32Array(3) }),
        },
        o: {
          W: encodeTensor({ shape: [3, 1], data: new Float32Array(3) }),
          b: encodeTensor({ shape: [1], data: new Float32Array(1) }),
        },
      },
    );
    editor.run({ type: 'setTraining', key: 'epochs', value: 5 });
    expect(Object.keys(s().weights!)).toEqual(['h', 'o']);
    editor.run({ type: 'setField', nodeId: 'h', key: 'units', value: 4 });
    // h changed shape, and o's input size changed with it
    expect(s().weights).toBeUndefined();
  });

  it("a trained CNN's weights keep every node's parameters and buffers (BatchNorm's running statistics)", () => {
    const doc = example('mnist-cnn');
    editor.load(doc);
    const model = compile(doc);
    for (const t of [...model.params.values(), ...model.buffers.values()]) t.data.fill(0.5);
    editor.setWeights({ runId: s().runId, step: 3 }, encodeWeights(new Map([...model.params, ...model.buffers])));
    const exported = exportedDocument(s()).weights!;
    for (const key of [...model.params.keys(), ...model.buffers.keys()]) {
      const [id, name] = [key.slice(0, key.lastIndexOf('.')), key.slice(key.lastIndexOf('.') + 1)];
      expect(exported[id]?.[name], key).toBeDefined();
    }
    expect(Object.keys(exported.n1!).sort()).toEqual(['beta', 'gamma', 'runningMean', 'runningVar']);
  });
});

describe('every edit yields a document parseGraph accepts', () => {
  it('refuses a second edge into an occupied input with the engine’s reason', () => {
    editor.load(xor());
    const r = editor.run({ type: 'connect', source: 'o', sourceHandle: 'out', target: 'h', targetHandle: 'in' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason.code).toBe('edge.occupied');
    expect(s().history.past).toHaveLength(0);
  });

  it('refuses MNIST with 9000 training digits (train + test > 10000) and keeps the document', () => {
    editor.load(example('mnist'));
    const before = s().doc;
    const dataset = { kind: 'mnist', train: 9000, test: 2000 };
    const r = editor.run({ type: 'setField', nodeId: 'in', key: 'dataset', value: dataset });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason.path).toBe('nodes[0].data.dataset.train');
    expect(s().doc).toBe(before);
    expect(s().notice?.key).toBe('notice.refused');
  });

  it('fuzz: random command sequences only ever leave documents that parse', () => {
    editor.load(xor());
    const actions = randomActions(editor);
    for (let i = 0; i < 400; i++) {
      actions.step();
      expect(() => parseGraph(JSON.parse(JSON.stringify(s().doc)))).not.toThrow();
    }
  });

  it('refuses the 10,001st node (the format holds at most MAX_NODES) and keeps the graph', () => {
    const doc = emptyDocument();
    for (let i = 0; i < MAX_NODES; i++)
      doc.nodes.push({ id: `n${i}`, type: 'dense', position: { x: i, y: 0 }, data: { units: 1 } });
    editor.load(parseGraph(doc));
    const r = editor.run({ type: 'addNode', nodeType: 'dense', position: { x: 0, y: 0 } });
    expect(r.ok).toBe(false);
    expect(s().doc.nodes).toHaveLength(MAX_NODES);
  });
});

describe('hostile ids', () => {
  it('nodes named after Object.prototype members work and keep their weights', () => {
    const doc = xor();
    const rename = new Map([
      ['h', 'constructor'],
      ['o', '__proto__'],
    ]);
    for (const n of doc.nodes) n.id = rename.get(n.id) ?? n.id;
    for (const e of doc.edges) {
      e.source = rename.get(e.source) ?? e.source;
      e.target = rename.get(e.target) ?? e.target;
    }
    const parsed = parseGraph(JSON.parse(JSON.stringify(doc)));
    editor.load(parsed);
    expect(s().analysis.problems).toEqual([]);
    const weights = JSON.parse(
      JSON.stringify({
        constructor: {
          W: encodeTensor({ shape: [2, 3], data: new Float32Array(6) }),
          b: encodeTensor({ shape: [3], data: new Float32Array(3) }),
        },
      }),
    );
    editor.setWeights({ runId: editor.getState().runId, step: 0 }, weights);
    expect(Object.keys(s().weights ?? {})).toEqual(['constructor']);
    editor.run({ type: 'setField', nodeId: '__proto__', key: 'units', value: 1 });
    expect(Object.prototype).not.toHaveProperty('units');
  });
});

describe('import', () => {
  it('a rejected file leaves the graph untouched and lists every problem; a valid one is one undo step', () => {
    editor.load(xor());
    const before = s().doc;
    const bad = JSON.parse(readFileSync('public/examples/xor.json', 'utf8'));
    bad.version = 3;
    expect(importText(editor, JSON.stringify(bad), 'v3.json')).toBe(false);
    expect(s().doc).toBe(before);
    expect(s().importProblems!.problems[0]!.message).toMatch(/newer nodegrad/);
    expect(importText(editor, '{', 'cut.json')).toBe(false);
    expect(s().importProblems!.problems[0]).toMatchObject({ path: '(file)' });
    const good = JSON.parse(readFileSync('public/examples/and.json', 'utf8'));
    const run = s().runId;
    expect(importText(editor, `\uFEFF${JSON.stringify(good)}`, 'and.json')).toBe(true);
    expect(s().doc.name).toBe('AND: one sigmoid neuron');
    expect(s().runId).toBe(run + 1);
    editor.undo();
    expect(s().doc.name).toBe('XOR 2-3-1');
  });

  it('New starts from the engine’s default training settings', () => {
    editor.run({ type: 'replaceDocument', doc: emptyDocument(), source: 'new' });
    expect(s().doc.training).toEqual(
      parseGraph({ format: 'nodegrad-graph', version: 1, nodes: [], edges: [] }).training,
    );
  });
});

describe('shortcuts', () => {
  const key = (k: string, mods: Partial<{ ctrlKey: boolean; shiftKey: boolean }> = {}) => ({
    key: k,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    ...mods,
  });
  it('are declared once and matched as data', () => {
    expect(matchShortcut(key('z', { ctrlKey: true }), false)).toBe('undo');
    expect(matchShortcut(key('Z', { ctrlKey: true, shiftKey: true }), false)).toBe('redo');
    expect(matchShortcut(key('y', { ctrlKey: true }), false)).toBe('redo');
    expect(matchShortcut(key('z', { ctrlKey: true }), true)).toBeNull();
    expect(matchShortcut(key('s', { ctrlKey: true }), true)).toBe('export');
    expect(matchShortcut(key('/'), false)).toBe('quickAdd');
  });
});
