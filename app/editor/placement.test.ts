import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { parseGraph } from '../../engine/index.ts';
import { createEditor } from './editor.ts';
import { DEFAULT_NODE_SIZE } from './placement.ts';

const xor = () => parseGraph(JSON.parse(readFileSync('public/examples/xor.json', 'utf8')));

// The sizes the canvas measures for the XOR example while training (app/nodes, NODE_MAX).
const sizes = { input: [160, 120], dense: [240, 200], activation: [220, 135], loss: [160, 75] } as const;
const sizeOf = (type: string) => {
  const [width, height] = sizes[type as keyof typeof sizes] ?? [DEFAULT_NODE_SIZE.width, DEFAULT_NODE_SIZE.height];
  return { width, height };
};

/** Pairs of nodes that overlap at their real sizes. */
function overlapping(editor: ReturnType<typeof createEditor>): string[] {
  const { doc } = editor.getState();
  const box = (id: string) => {
    const n = doc.nodes.find((m) => m.id === id)!;
    return { ...n.position, ...sizeOf(n.type) };
  };
  const out: string[] = [];
  for (const a of doc.nodes)
    for (const b of doc.nodes) {
      if (a.id >= b.id) continue;
      const p = box(a.id);
      const q = box(b.id);
      if (p.x < q.x + q.width && q.x < p.x + p.width && p.y < q.y + q.height && q.y < p.y + p.height)
        out.push(`${a.id}/${b.id}`);
    }
  return out;
}

it('adds and pastes land in free space, near where they were asked for', () => {
  const editor = createEditor();
  editor.load(xor());
  editor.setMeasured(new Map(editor.getState().doc.nodes.map((n) => [n.id, sizeOf(n.type)])));
  expect(overlapping(editor)).toEqual([]);
  const h = editor.getState().doc.nodes.find((n) => n.id === 'h')!;
  for (let i = 0; i < 6; i++) editor.run({ type: 'addNode', nodeType: 'dense', position: { ...h.position } });
  const { doc } = editor.getState();
  editor.run({ type: 'paste', nodes: doc.nodes.slice(0, 3), edges: [], offset: { x: 10, y: 10 } });
  expect(editor.getState().doc.nodes).toHaveLength(6 + 6 + 3);
  expect(overlapping(editor)).toEqual([]);
  // Near the wish: the first add is within two node sizes of where it was dropped.
  const first = editor.getState().doc.nodes[6]!.position;
  expect(Math.hypot(first.x - h.position.x, first.y - h.position.y)).toBeLessThan(450);
});

it('a drop on empty canvas stays exactly where it was dropped', () => {
  const editor = createEditor();
  editor.load(xor());
  editor.run({ type: 'addNode', nodeType: 'dense', position: { x: 2000, y: 2000 } });
  expect(editor.getState().doc.nodes.at(-1)!.position).toEqual({ x: 2000, y: 2000 });
});
