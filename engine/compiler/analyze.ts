// Static analysis of a document: structure, order, shapes and parameter counts, with every
// problem named. Never throws and allocates no parameters, so the editor can run it on each edit.
import type { CompileOptions, CompileProblem, GraphAnalysis, NodeInfo, ParamInfo } from './types.ts';
import { datasetShapes } from '../datasets/index.ts';
import { DatasetError } from '../datasets/errors.ts';
import { type GraphDoc, type GraphNode, type LossNode, MAX_PARAMETERS } from '../format/types.ts';
import { type BufferSpec, nodeDefinition, type ParamSpec, problemMessage } from '../nodes/index.ts';
import { FUSED_LOSSES } from '../ops/losses.ts';
import type { ProblemParams } from '../problems.ts';
import { sizeOf } from '../tensor.ts';
import { type NodeCost, nodeCost, stepCost } from './budget.ts';
import { edgeIndex, edgeProblem, KEPT_EDGE_PROBLEMS } from './edges.ts';
import { topologicalOrder } from './topo.ts';

export interface Source {
  node: string;
  handle: string;
}

/** What compile needs beyond the public analysis. */
export interface Structure {
  analysis: GraphAnalysis;
  nodes: Map<string, GraphNode>;
  /** Valid nodes in topological order. */
  order: GraphNode[];
  /** node id → input port → the output feeding it. */
  inputsOf: Map<string, Map<string, Source>>;
  shapes: Map<string, number[]>;
  /** node id → its parameters with shapes and initialisers (from its definition). */
  params: Map<string, ParamSpec[]>;
  /** node id → its buffers (BatchNorm's running statistics). */
  buffers: Map<string, BufferSpec[]>;
  /** node id → scratch floats per sample its op needs. */
  scratch: Map<string, number>;
  input?: GraphNode;
  loss?: LossNode;
  /** The activation node fused into the loss, if any. */
  fusedNode?: string;
}

/** A compile problem from its code and params; the English message is rendered from them. */
export function compileProblem(
  code: string,
  params: ProblemParams,
  at: { nodeId?: string | undefined; edgeId?: string | undefined } = {},
): CompileProblem {
  const p: CompileProblem = { code, params, message: problemMessage(code, params) };
  if (at.nodeId !== undefined) p.nodeId = at.nodeId;
  if (at.edgeId !== undefined) p.edgeId = at.edgeId;
  return p;
}

/**
 * Analyses a document without allocating parameters: problems (each naming its node or edge),
 * topological order, per-edge shapes `[features…]` (no batch axis) and parameter counts.
 *
 * @example
 * const { problems, edgeShapes } = analyzeGraph(doc); // edgeShapes.get('e1') → [2]
 */
export function analyzeGraph(doc: GraphDoc, options: CompileOptions = {}): GraphAnalysis {
  return analyzeStructure(doc, options).analysis;
}

/** Ids a long cycle's problem shows, from its node on. */
const CYCLE_EXCERPT = 6;

export function analyzeStructure(doc: GraphDoc, options: CompileOptions = {}): Structure {
  const problems: CompileProblem[] = [];
  const index = edgeIndex(doc);
  const nodes = index.nodes as Map<string, GraphNode>;
  const ref = (n: GraphNode) => ({ node: n.id, nodeType: n.type });
  const add = (code: string, params: ProblemParams, nodeId?: string, edgeId?: string) =>
    problems.push(compileProblem(code, params, { nodeId, edgeId }));

  // --- edges and ports ---
  const inputsOf = new Map<string, Map<string, Source>>();
  const outgoing = new Map<string, { edge: string; target: string; handle: string }[]>();
  const validEdges = doc.edges.filter((e) => {
    const p = edgeProblem(doc, e, { index, cycles: false });
    if (p) problems.push(compileProblem(p.code, p.params, { nodeId: p.nodeId, edgeId: e.id }));
    if (p && !KEPT_EDGE_PROBLEMS.has(p.code)) return false;
    let ports = inputsOf.get(e.target);
    if (!ports) {
      ports = new Map();
      inputsOf.set(e.target, ports);
    }
    ports.set(e.targetHandle, { node: e.source, handle: e.sourceHandle });
    const out = outgoing.get(e.source) ?? [];
    out.push({ edge: e.id, target: e.target, handle: e.sourceHandle });
    outgoing.set(e.source, out);
    return true;
  });

  // --- exactly one input and one loss ---
  const inputs = doc.nodes.filter((n) => n.type === 'input');
  const losses = doc.nodes.filter((n): n is LossNode => n.type === 'loss');
  if (inputs.length === 0) add('graph.no-input', {});
  if (losses.length === 0) add('graph.no-loss', {});
  for (const extra of inputs.slice(1)) add('graph.extra-input', ref(extra), extra.id);
  for (const extra of losses.slice(1)) add('graph.extra-loss', ref(extra), extra.id);
  const input = inputs[0];
  const loss = losses[0];

  // --- every input port connected ---
  for (const n of doc.nodes) {
    for (const port of nodeDefinition(n.type).ports.inputs) {
      if (!inputsOf.get(n.id)?.has(port)) add('port.unconnected', { ...ref(n), port }, n.id);
    }
  }

  // --- order and cycles ---
  const { order: orderIds, cycles } = topologicalOrder(
    doc.nodes.map((n) => n.id),
    validEdges.map((e) => [e.source, e.target] as const),
  );
  for (const cycle of cycles) {
    cycle.forEach((id, i) => {
      // NOTE: a long cycle shows an excerpt from each node on it: the whole cycle in every one of its
      // problems would make them quadratic in its length (10k nodes: 1 GB of text).
      const excerpt =
        cycle.length <= CYCLE_EXCERPT
          ? cycle
          : Array.from({ length: CYCLE_EXCERPT }, (_, k) => cycle[(i + k) % cycle.length] as string);
      add('graph.cycle', { ...ref(nodes.get(id)!), cycle: excerpt, length: cycle.length }, id);
    });
  }

  // --- reachability: from input.x forward, to loss.pred backward ---
  if (input && loss && cycles.length === 0) {
    const fromInput = walk(input.id, (id) =>
      (outgoing.get(id) ?? []).filter((o) => o.handle !== 'y').map((o) => o.target),
    );
    const toLoss = walk(loss.id, (id) => {
      const ports = inputsOf.get(id);
      if (!ports) return [];
      return [...ports].filter(([port]) => port !== 'target').map(([, s]) => s.node);
    });
    for (const n of doc.nodes) {
      if (n.type === 'input' || n.type === 'loss') continue;
      const connected = nodeDefinition(n.type).ports.inputs.every((p) => inputsOf.get(n.id)?.has(p));
      if (connected && !fromInput.has(n.id))
        add('node.unreachable', { ...ref(n), input: input.id, inputType: 'input' }, n.id);
      if (!toLoss.has(n.id)) add('node.dead-end', { ...ref(n), loss: loss.id, lossType: 'loss' }, n.id);
    }
  }

  // --- shapes and parameters ---
  const shapes = new Map<string, number[]>();
  const params: Structure['params'] = new Map();
  const buffers: Structure['buffers'] = new Map();
  const scratch: Structure['scratch'] = new Map();
  const infos: NodeInfo[] = [];
  const edgeShapes = new Map<string, number[]>();
  let totalParams = 0;
  let inputShape = options.inputShape;
  let targetShape = options.targetShape;
  // NOTE: the dataset is read even when the caller gives both shapes: its sample count caps the
  // batch the step bounds are checked with. Its problems matter only when its shapes are needed.
  const shapesGiven = inputShape !== undefined && targetShape !== undefined;
  let trainSamples = Number.POSITIVE_INFINITY;
  const dataset = input?.type === 'input' ? input.data.dataset : undefined;
  if (input && !dataset && !shapesGiven) add('input.no-dataset', ref(input), input.id);
  if (input && dataset) {
    try {
      const s = datasetShapes(dataset);
      inputShape ??= s.inputShape;
      targetShape ??= s.targetShape;
      trainSamples = s.trainSamples;
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      if (!shapesGiven && e instanceof DatasetError) add(e.code, { ...ref(input), ...e.params }, input.id);
      else if (!shapesGiven) add('input.bad-dataset', { ...ref(input), detail }, input.id);
    }
  }
  const costs: NodeCost[] = [];
  if (input && inputShape && targetShape)
    costs.push({ id: input.id, type: 'input', floats: sizeOf(inputShape) + sizeOf(targetShape), multiplyAdds: 0 });
  const outputShape = (s: Source): number[] | undefined => (s.handle === 'y' ? targetShape : shapes.get(s.node));
  /**
   * The node whose output sets the size that reaches `id`'s output: back through nodes of one input
   * that keep its shape (an Activation, a Dropout), so a fix names the Dense, not the sigmoid after it.
   */
  const sizedBy = (id: string): string => {
    for (let steps = 0; steps < nodes.size; steps++) {
      const wires = [...(inputsOf.get(id)?.values() ?? [])];
      const inShape = wires.length === 1 ? outputShape(wires[0]!) : undefined;
      const out = shapes.get(id);
      if (!inShape || !out || inShape.length !== out.length || inShape.some((d, i) => d !== out[i])) return id;
      id = wires[0]!.node;
    }
    return id;
  };
  const order: GraphNode[] = [];
  let fusedNode: string | undefined;
  for (const id of orderIds) {
    const n = nodes.get(id)!;
    const def = nodeDefinition(n.type);
    order.push(n);
    const wires = def.ports.inputs.flatMap((port) => {
      const s = inputsOf.get(id)?.get(port);
      return s ? [{ port, node: s.node, handle: s.handle }] : [];
    });
    // NOTE: n.type and n.data come from the same node; TypeScript cannot correlate the two unions.
    const info = { id, type: n.type, data: n.data, paramCount: 0, params: [], buffers: [], inputs: wires } as NodeInfo;
    if (n.type === 'input') {
      if (inputShape) shapes.set(id, [...inputShape]);
    } else if (n.type === 'loss') {
      const pred = inputsOf.get(id)?.get('pred');
      const target = inputsOf.get(id)?.get('target');
      const p = pred && outputShape(pred);
      const t = target && outputShape(target);
      if (p && t && sizeOf(p) !== sizeOf(t)) {
        const producer = pred && nodes.get(pred.node);
        const layer = pred && nodes.get(sizedBy(pred.node));
        add(
          'loss.shape-mismatch',
          {
            ...ref(n),
            pred: p,
            target: t,
            from: producer?.id ?? '',
            layer: layer?.id ?? '',
            layerType: layer?.type ?? '',
          },
          id,
        );
      }
      const fusion = FUSED_LOSSES[n.data.fn];
      const producer = pred && nodes.get(pred.node);
      if (
        fusion &&
        producer?.type === 'activation' &&
        producer.data.fn === fusion.activation &&
        (outgoing.get(producer.id)?.length ?? 0) === 1
      ) {
        fusedNode = producer.id;
      }
    } else if (def.inferShape) {
      const ports = def.ports.inputs.map((p) => inputsOf.get(id)?.get(p));
      const inShapes = ports.map((s) => (s ? outputShape(s) : undefined));
      if (inShapes.every((s): s is number[] => s !== undefined)) {
        const data = n.data as Record<string, unknown>;
        const result = def.inferShape(inShapes, data);
        if (!Array.isArray(result)) add(`${n.type}.${result.code}`, { ...ref(n), ...result.params }, id);
        else {
          shapes.set(id, result);
          const specs = def.params?.(data, inShapes) ?? [];
          params.set(id, specs);
          const bufferSpecs = def.buffers?.(data, inShapes) ?? [];
          buffers.set(id, bufferSpecs);
          for (const b of bufferSpecs) info.buffers.push({ key: `${id}.${b.name}`, name: b.name, shape: [...b.shape] });
          scratch.set(id, def.layer?.op.scratch?.(sizeOf(result), inShapes.map(sizeOf)) ?? 0);
          for (const spec of specs) {
            const size = sizeOf(spec.shape);
            info.params.push({ key: `${id}.${spec.name}`, name: spec.name, shape: [...spec.shape], decay: spec.decay });
            info.paramCount += size;
            const saved = doc.weights && Object.hasOwn(doc.weights, id) ? doc.weights[id] : undefined;
            const savedParam = saved && Object.hasOwn(saved, spec.name) ? saved[spec.name] : undefined;
            if (savedParam && sizeOf(savedParam.shape) !== size) {
              add(
                'node.weights-misfit',
                {
                  ...ref(n),
                  param: spec.name,
                  saved: savedParam.shape,
                  expected: savedParam.shape[0] ?? 0,
                  source: ports[0]!.node,
                  features: sizeOf(inShapes[0]!),
                },
                id,
              );
            }
          }
          totalParams += info.paramCount;
        }
      }
    }
    const shape = shapes.get(id);
    if (shape) info.outputShape = [...shape];
    if (shape && n.type !== 'input') {
      const size = sizeOf(shape);
      const work = def.multiplyAdds?.(
        n.data as never,
        info.inputs.map((w) => outputShape(w)!),
        shape,
      );
      costs.push(nodeCost(id, n.type, size, scratch.get(id) ?? 0, info.paramCount, work));
    }
    infos.push(info);
  }
  if (fusedNode) {
    const info = infos.find((i) => i.id === fusedNode);
    if (info) info.fusedIntoLoss = true;
  }
  for (const e of validEdges) {
    const s = outputShape({ node: e.source, handle: e.sourceHandle });
    if (s) edgeShapes.set(e.id, [...s]);
  }
  if (totalParams > MAX_PARAMETERS) {
    const biggest = infos.reduce((a, b) => (b.paramCount > a.paramCount ? b : a));
    add(
      'graph.too-many-params',
      {
        total: totalParams,
        limit: MAX_PARAMETERS,
        node: biggest.id,
        nodeType: biggest.type,
        count: biggest.paramCount,
      },
      biggest.id,
    );
  }

  const budget = stepCost(costs, Math.min(doc.training.batchSize, trainSamples));
  for (const p of budget.problems) add(p.code, p.params, p.nodeId);

  const analysis: GraphAnalysis = { problems, nodes: infos, edgeShapes, totalParams, step: budget.step };
  if (inputShape) analysis.inputShape = [...inputShape];
  if (targetShape) analysis.targetShape = [...targetShape];
  const predSource = loss && inputsOf.get(loss.id)?.get('pred');
  if (predSource) analysis.predictionNode = predSource.node;
  const structure: Structure = { analysis, nodes, order, inputsOf, shapes, params, buffers, scratch };
  if (input) structure.input = input;
  if (loss) structure.loss = loss;
  if (fusedNode) structure.fusedNode = fusedNode;
  return structure;
}

/** Nodes reachable from `start` through `next` (iterative). */
function walk(start: string, next: (id: string) => string[]): Set<string> {
  const seen = new Set([start]);
  const stack = [start];
  while (stack.length > 0) {
    for (const n of next(stack.pop()!)) {
      if (!seen.has(n)) {
        seen.add(n);
        stack.push(n);
      }
    }
  }
  return seen;
}

export type { ParamInfo };
