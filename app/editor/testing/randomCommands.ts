// Random editor actions for fuzz tests: commands with hostile values, undo and redo.
import { NODE_DEFINITIONS, NODE_TYPE_NAMES } from '../../../engine/index.ts';
import type { Editor } from '../editor.ts';

/** A seeded generator of editor actions; `step()` applies one (refusals are part of the game). */
export function randomActions(editor: Editor, seed = 12345) {
  let state = seed;
  const rand = (n: number) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
  const types = NODE_TYPE_NAMES;
  const values = [0, -1, 1, 3, 2.5, 1e9, Number.NaN, 'relu', 'nope', null, true, 0.5];
  const keys = [...new Set(NODE_DEFINITIONS.flatMap((d) => d.fields.map((f) => f.key))), 'constructor', '__proto__'];
  return {
    step() {
      const doc = editor.getState().doc;
      const node = doc.nodes[rand(Math.max(1, doc.nodes.length))];
      const other = doc.nodes[rand(Math.max(1, doc.nodes.length))];
      const pick = rand(9);
      if (pick === 0)
        editor.run({ type: 'addNode', nodeType: types[rand(types.length)]!, position: { x: rand(900), y: rand(600) } });
      else if (pick === 1 && node)
        editor.run({
          type: 'setField',
          nodeId: node.id,
          key: keys[rand(keys.length)]!,
          value: values[rand(values.length)],
        });
      else if (pick === 2 && node && other)
        editor.run({
          type: 'connect',
          source: node.id,
          sourceHandle: ['out', 'x', 'y'][rand(3)]!,
          target: other.id,
          targetHandle: ['in', 'a', 'b', 'pred', 'target'][rand(5)]!,
        });
      else if (pick === 3 && node) editor.run({ type: 'delete', nodeIds: [node.id], edgeIds: [] });
      else if (pick === 4)
        editor.run({
          type: 'setTraining',
          key: (['batchSize', 'epochs', 'seed', 'weightDecay'] as const)[rand(4)]!,
          value: values[rand(5)] as number,
        });
      else if (pick === 5) editor.undo();
      else if (pick === 6) editor.redo();
      else if (pick === 7 && node)
        editor.run({ type: 'rename', name: ['', 'x'.repeat(rand(300)), '__proto__'][rand(3)]! });
      else editor.run({ type: 'moveNodes', positions: node ? [[node.id, { x: Number.NaN, y: 1 }]] : [] });
    },
  };
}
