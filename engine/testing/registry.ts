// A small graph around every registered layer type, built from its definition alone (its defaults
// and ports): the registry-loop tests (gradients, trace, every export) run on these, so a new type
// without a reference, an emitter or a trace rule fails them without anyone adding it to a list.
import { analyzeGraph } from '../compiler/analyze.ts';
import { parseGraph } from '../format/parse.ts';
import type { GraphDoc } from '../format/types.ts';
import { NODE_DEFINITIONS, type NodeDefinition } from '../nodes/index.ts';

/** The layer types: every definition with layer rules (all but `input` and `loss`). */
export const LAYER_DEFINITIONS: readonly NodeDefinition[] = (NODE_DEFINITIONS as readonly NodeDefinition[]).filter(
  (d) => d.layer !== undefined,
);

/** Per-sample input shapes tried in order until the type's defaults compile on one. */
const INPUT_SHAPES = [[6, 5, 3], [7], [28, 28, 1]];
const CLASSES = 3;

export interface LayerCase {
  type: string;
  doc: GraphDoc;
  inputShape: number[];
  targetShape: number[];
}

/**
 * input → <type> (every input port fed by x) → flatten → dense 3 → softmax → cross-entropy, on the
 * first input shape its defaults accept; `problems` lists why none did.
 */
export function layerCase(def: NodeDefinition): LayerCase & { problems: string[] } {
  let problems: string[] = [];
  for (const inputShape of INPUT_SHAPES) {
    const doc = parseGraph({
      format: 'nodegrad-graph',
      version: 1,
      name: `registry ${def.type}`,
      nodes: [
        { id: 'in', type: 'input', position: { x: 0, y: 0 }, data: {} },
        { id: 'it', type: def.type, position: { x: 100, y: 0 }, data: def.defaults() },
        { id: 'f', type: 'flatten', position: { x: 200, y: 0 }, data: {} },
        { id: 'o', type: 'dense', position: { x: 300, y: 0 }, data: { units: CLASSES, init: 'normal', std: 0.3 } },
        { id: 'p', type: 'activation', position: { x: 400, y: 0 }, data: { fn: 'softmax' } },
        { id: 'L', type: 'loss', position: { x: 500, y: 0 }, data: { fn: 'cross_entropy' } },
      ],
      edges: [
        ...def.ports.inputs.map((port, i) => ({
          id: `x${i}`,
          source: 'in',
          sourceHandle: 'x',
          target: 'it',
          targetHandle: port,
        })),
        { id: 'e1', source: 'it', sourceHandle: 'out', target: 'f', targetHandle: 'in' },
        { id: 'e2', source: 'f', sourceHandle: 'out', target: 'o', targetHandle: 'in' },
        { id: 'e3', source: 'o', sourceHandle: 'out', target: 'p', targetHandle: 'in' },
        { id: 'e4', source: 'p', sourceHandle: 'out', target: 'L', targetHandle: 'pred' },
        { id: 'e5', source: 'in', sourceHandle: 'y', target: 'L', targetHandle: 'target' },
      ],
      training: { optimizer: { type: 'adam', learningRate: 0.01 }, batchSize: 4, epochs: 1, seed: 3 },
    });
    const targetShape = [CLASSES];
    const found = analyzeGraph(doc, { inputShape, targetShape }).problems.map((p) => p.message);
    if (found.length === 0) return { type: def.type, doc, inputShape, targetShape, problems: [] };
    problems = [...problems, ...found];
  }
  return { type: def.type, doc: undefined as never, inputShape: [], targetShape: [], problems };
}
