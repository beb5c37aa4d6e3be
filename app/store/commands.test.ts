// Headless tests of the command layer: no rendering, the store and commands only.
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { encodeTensor, parseGraph } from '../../engine/index.ts';
import { connectionProblem } from '../canvas/connection.ts';
import { commands, emptyDocument } from './commands.ts';
import { useEditor } from './documentStore.ts';
import { HISTORY_LIMIT } from './history.ts';

const xor = () => parseGraph(JSON.parse(readFileSync('public/examples/xor.json', 'utf8')));
const s = () => useEditor.getState();

beforeEach(() => s().restore(emptyDocument(), undefined, null));

describe('commands with undo and redo', () => {
  it('add, connect, delete, and undo/redo each as one step', () => {
    s().run(commands.addNode('input', { x: 0, y: 0 }));
    s().run(commands.addNode('dense', { x: 200, y: 0 }));
    s().run(commands.connect({ source: 'in1', sourceHandle: 'x', target: 'dense1', targetHandle: 'in' }));
    expect(s().doc.edges).toEqual([
      { id: 'e1', source: 'in1', sourceHandle: 'x', target: 'dense1', targetHandle: 'in' },
    ]);
    expect(s().analysis.edgeShapes.get('e1')).toEqual([2]);
    s().run(commands.deleteElements(['in1'], []));
    expect(s().doc.nodes.map((n) => n.id)).toEqual(['dense1']);
    expect(s().doc.edges).toEqual([]);
    s().undo();
    expect(s().doc.edges).toHaveLength(1);
    s().undo();
    s().undo();
    expect(s().doc.nodes.map((n) => n.id)).toEqual(['in1']);
    s().redo();
    s().redo();
    expect(s().doc.edges).toHaveLength(1);
    expect(s().history.past.map((e) => e.name)).toEqual(['Add Input', 'Add Dense', 'Connect']);
  });

  it('a new command clears redo; selection does not', () => {
    s().run(commands.addNode('dense', { x: 0, y: 0 }));
    s().run(commands.addNode('dense', { x: 0, y: 0 }));
    s().undo();
    s().select(['dense1']);
    expect(s().history.future).toHaveLength(1);
    s().run(commands.rename('x'));
    expect(s().history.future).toHaveLength(0);
  });

  it('keeps at least 200 undo steps', () => {
    for (let i = 0; i < 250; i++) s().run(commands.moveNodes({}));
    s().run(commands.addNode('dense', { x: 0, y: 0 }));
    for (let i = 1; i <= 220; i++) s().run(commands.moveNodes({ dense1: { x: i, y: 0 } }));
    expect(s().history.past.length).toBe(221);
    expect(HISTORY_LIMIT).toBeGreaterThanOrEqual(200);
    for (let i = 0; i < 220; i++) s().undo();
    expect(s().doc.nodes[0]!.position).toEqual({ x: 0, y: 0 });
  });

  it('paste keeps internal edges with fresh ids', () => {
    s().run(commands.replaceDocument(xor(), 'Load'));
    const nodes = s().doc.nodes.filter((n) => ['h', 'ha'].includes(n.id));
    const edges = s().doc.edges.filter((e) => e.source === 'h' && e.target === 'ha');
    const cmd = commands.paste(nodes, edges, { x: 40, y: 40 });
    s().run(cmd);
    expect(cmd.ids()).toEqual(['dense1', 'activation1']);
    expect(s().doc.edges.at(-1)).toMatchObject({ source: 'dense1', target: 'activation1' });
    expect(s().doc.nodes.find((n) => n.id === 'dense1')!.position).toEqual({ x: 280, y: 80 });
  });

  it('structural edits drop only the trained weights that no longer fit', () => {
    const doc = xor();
    s().run(commands.replaceDocument(doc, 'Load'));
    s().setWeights({
      h: {
        W: encodeTensor({ shape: [2, 3], data: new Float32Array(6) }),
        b: encodeTensor({ shape: [3], data: new Float32Array(3) }),
      },
      o: {
        W: encodeTensor({ shape: [3, 1], data: new Float32Array(3) }),
        b: encodeTensor({ shape: [1], data: new Float32Array(1) }),
      },
    });
    s().run(
      commands.updateTraining((t) => {
        t.epochs = 5;
      }),
    );
    expect(Object.keys(s().weights!)).toEqual(['h', 'o']);
    s().run(
      commands.updateNodeData('h', (d) => {
        d.units = 4;
      }),
    );
    // h changed shape, and o's input size changed with it
    expect(s().weights).toBeUndefined();
  });

  it('refuses connections that can never be valid, with the reason', () => {
    s().run(commands.replaceDocument(xor(), 'Load'));
    const doc = s().doc;
    expect(connectionProblem(doc, { source: 'o', sourceHandle: 'out', target: 'h', targetHandle: 'in' })).toMatch(
      /already connected/,
    );
    s().run(commands.deleteElements([], ['e1']));
    expect(connectionProblem(s().doc, { source: 'o', sourceHandle: 'out', target: 'h', targetHandle: 'in' })).toMatch(
      /cycle/,
    );
    expect(connectionProblem(s().doc, { source: 'in', sourceHandle: 'y', target: 'h', targetHandle: 'in' })).toMatch(
      /can only feed a Loss/,
    );
    expect(connectionProblem(s().doc, { source: 'in', sourceHandle: 'x', target: 'h', targetHandle: 'in' })).toBeNull();
  });
});

describe('import', () => {
  it('a rejected file leaves the graph untouched and lists every problem; a valid one is one undo step', async () => {
    const { importText } = await import('../io/files.ts');
    s().run(commands.replaceDocument(xor(), 'Load'));
    const before = s().doc;
    const bad = JSON.parse(readFileSync('public/examples/xor.json', 'utf8'));
    bad.version = 3;
    expect(importText(JSON.stringify(bad), 'v3.json')).toBe(false);
    expect(s().doc).toBe(before);
    expect(s().importProblems!.problems[0]!.message).toMatch(/newer nodegrad/);
    expect(importText('{', 'cut.json')).toBe(false);
    expect(s().importProblems!.problems[0]).toMatchObject({ path: '(file)' });
    const good = JSON.parse(readFileSync('public/examples/and.json', 'utf8'));
    expect(importText(JSON.stringify(good), 'and.json')).toBe(true);
    expect(s().doc.name).toBe('AND: one sigmoid neuron');
    s().undo();
    expect(s().doc.name).toBe('XOR 2-3-1');
  });
});
