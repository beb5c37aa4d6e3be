import type { CompileOptions, Model } from './types.ts';
import type { GraphDoc } from '../format/types.ts';
import { decodeWeights } from '../format/weights.ts';
import { initialise } from '../init.ts';
import { createRng } from '../prng.ts';
import { analyzeStructure, compileProblem } from './analyze.ts';
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
  checkShapeOption('inputShape', options.inputShape);
  checkShapeOption('targetShape', options.targetShape);
  checkThreadsOption(options.threads);
  const structure = analyzeStructure(doc, options);
  if (structure.analysis.problems.length > 0) throw new CompileError(structure.analysis.problems);
  const seed = options.seed ?? doc.training.seed;
  const model = new CompiledModel(structure, seed);
  let saved: ReturnType<typeof decodeWeights> | undefined;
  if (doc.weights) {
    try {
      saved = decodeWeights(doc.weights);
    } catch (e) {
      throw new CompileError([
        compileProblem('weights.unreadable', { detail: e instanceof Error ? e.message : String(e) }),
      ]);
    }
    for (const [key, t] of saved) {
      const p = model.params.get(key) ?? model.buffers.get(key);
      const id = key.slice(0, key.lastIndexOf('.'));
      if (!p || p.data.length !== t.data.length) {
        throw new CompileError([
          compileProblem('weights.misfit', { key, shape: `[${t.shape.join(', ')}]` }, { nodeId: id }),
        ]);
      }
    }
  }
  // NOTE: one generator, topological order, parameters in definition order (W then b): the same
  // document and seed give bit-identical parameters everywhere. When saved weights cover every
  // parameter nothing is drawn (a 50M-parameter model spent 2 s drawing values it then replaced).
  const covered = saved !== undefined && [...model.params.keys()].every((key) => saved.has(key));
  if (!covered) {
    const rng = createRng(seed);
    for (const node of structure.order) {
      for (const spec of structure.params.get(node.id) ?? []) {
        const p = model.params.get(`${node.id}.${spec.name}`)!;
        const { kind, fanIn, fanOut, scale, std } = spec.init;
        initialise(p.data, kind, fanIn, fanOut, rng, { scale, std });
      }
    }
  }
  for (const [key, t] of saved ?? []) (model.params.get(key) ?? model.buffers.get(key))!.data.set(t.data);
  // NOTE: the helper thread compiles the graph without weights: it reads these parameters in place.
  model.setThreadsSource({ ...doc, weights: undefined }, seed);
  model.setThreads(options.threads ?? 'auto');
  return model;
}

/**
 * A two-thread model's helper side: the graph compiled on this thread, with its parameters placed at
 * `paramsAt` (float offsets of the training thread's parameters in the shared arena this thread
 * adopted: engine/parallel/helper.ts) or, without it, in memory of its own that each step fills
 * (engine/parallel/messageHelper.ts); nothing is initialised, nothing starts threads.
 */
export function compileHelperModel(
  doc: GraphDoc,
  options: CompileOptions,
  paramsAt?: ReadonlyMap<string, number>,
): CompiledModel {
  const structure = analyzeStructure(doc, options);
  if (structure.analysis.problems.length > 0) throw new CompileError(structure.analysis.problems);
  return new CompiledModel(structure, options.seed ?? doc.training.seed, paramsAt);
}

/** `threads` is 'auto' or a whole number ≥ 1. */
function checkThreadsOption(threads: unknown): void {
  if (threads === undefined || threads === 'auto' || (Number.isInteger(threads) && (threads as number) >= 1)) return;
  throw new TypeError(`compile: options.threads must be 'auto' or a whole number ≥ 1, got ${JSON.stringify(threads)}`);
}

/** Per-sample shapes given by a library caller must be lists of whole numbers ≥ 1. */
function checkShapeOption(name: string, shape: readonly number[] | undefined): void {
  if (shape === undefined) return;
  if (!Array.isArray(shape) || shape.length > 8 || !shape.every((d) => Number.isInteger(d) && d >= 1))
    throw new TypeError(
      `compile: options.${name} must be a list of at most 8 whole numbers ≥ 1, got ${JSON.stringify(shape)}`,
    );
}
