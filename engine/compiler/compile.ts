import type { CompileOptions, Model } from '../api.ts';
import type { GraphDoc } from '../format/types.ts';
import { decodeWeights } from '../format/weights.ts';
import { initialise } from '../init.ts';
import { createRng } from '../prng.ts';
import { analyzeStructure } from './analyze.ts';
import { CompileError } from './errors.ts';
import { CompiledModel } from './model.ts';

/**
 * Compiles a document into a trainable Model. Parameters are initialised from the seed
 * (options.seed, else training.seed) in topological order, W then b; saved `weights` then
 * replace the initial values.
 *
 * @example
 * const model = compile(doc);
 * const { loss, grads } = model.lossAndGrads(x, y);
 * @throws CompileError listing every problem, each naming its node or edge.
 */
export function compile(doc: GraphDoc, options: CompileOptions = {}): Model {
  const structure = analyzeStructure(doc, options);
  if (structure.analysis.problems.length > 0) throw new CompileError(structure.analysis.problems);
  const model = new CompiledModel(structure);
  const rng = createRng(options.seed ?? doc.training.seed);
  for (const node of structure.order) {
    if (node.type !== 'dense') continue;
    const W = model.params.get(`${node.id}.W`)!;
    const [fanIn, fanOut] = W.shape as [number, number];
    const opts = { scale: node.data.scale, std: node.data.std };
    initialise(W.data, node.data.init ?? 'glorot_uniform', fanIn, fanOut, rng, opts);
    const b = model.params.get(`${node.id}.b`);
    if (b) initialise(b.data, node.data.biasInit ?? 'zeros', fanOut, fanOut, rng, opts);
  }
  if (doc.weights) {
    let saved: ReturnType<typeof decodeWeights>;
    try {
      saved = decodeWeights(doc.weights);
    } catch (e) {
      throw new CompileError([
        { message: `Saved weights are unreadable: ${e instanceof Error ? e.message : String(e)}` },
      ]);
    }
    for (const [key, t] of saved) {
      const p = model.params.get(key);
      const id = key.slice(0, key.lastIndexOf('.'));
      if (!p || p.data.length !== t.data.length) {
        throw new CompileError([
          { nodeId: id, message: `Saved weights '${key}' [${t.shape.join(', ')}] do not fit the graph` },
        ]);
      }
      p.data.set(t.data);
    }
  }
  return model;
}
