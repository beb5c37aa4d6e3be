// Static analysis of a document: structure, order, shapes and parameter counts, with every
// problem named. Never throws and allocates no parameters, so the editor can run it on each edit.
import type { CompileOptions, CompileProblem, GraphAnalysis, NodeInfo } from '../api.ts';
import { datasetShapes } from '../datasets/index.ts';
import { type GraphDoc, type GraphNode, type LossNode, MAX_PARAMETERS, PORTS } from '../format/types.ts';
import { FUSED_LOSSES } from '../ops/losses.ts';
import { OPS } from '../ops/registry.ts';
import { sizeOf } from '../tensor.ts';
import { nodeLabel, shapeText } from './errors.ts';
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
  input?: GraphNode;
  loss?: LossNode;
  /** The activation node fused into the loss, if any. */
  fusedNode?: string;
}

/**
 * Analyses a document without allocating parameters: problems (each naming its node or edge),
 * topological order, per-edge shapes `[features…]` (no batch axis) and parameter counts.
 * A Dense node reads a multi-dimensional per-sample input as flat (row-major).
 *
 * @example
 * const { problems, edgeShapes } = analyzeGraph(doc); // edgeShapes.get('e1') → [2]
 */
export function analyzeGraph(doc: GraphDoc, options: CompileOptions = {}): GraphAnalysis {
  return analyzeStructure(doc, options).analysis;
}

export function analyzeStructure(doc: GraphDoc, options: CompileOptions = {}): Structure {
  const problems: CompileProblem[] = [];
  const nodes = new Map<string, GraphNode>();
  for (const n of doc.nodes) nodes.set(n.id, n);
  const label = (id: string) => nodeLabel(nodes.get(id)!);

  // --- edges and ports ---
  const inputsOf = new Map<string, Map<string, Source>>();
  const outgoing = new Map<string, { edge: string; target: string; targetHandle: string; handle: string }[]>();
  const incomingCount = new Map<string, number>();
  const validEdges = doc.edges.filter((e) => {
    const s = nodes.get(e.source);
    const t = nodes.get(e.target);
    if (!s || !t) {
      problems.push({ edgeId: e.id, message: `Edge '${e.id}' connects a node that does not exist` });
      return false;
    }
    if (!PORTS[s.type].outputs.includes(e.sourceHandle) || !PORTS[t.type].inputs.includes(e.targetHandle)) {
      problems.push({
        edgeId: e.id,
        message: `Edge '${e.id}' uses a port that ${nodeLabel(s)} or ${nodeLabel(t)} does not have`,
      });
      return false;
    }
    if (e.source === e.target) {
      problems.push({ nodeId: e.source, edgeId: e.id, message: `${nodeLabel(s)} is connected to itself` });
      return false;
    }
    const key = `${e.target}\u0000${e.targetHandle}`;
    const count = (incomingCount.get(key) ?? 0) + 1;
    incomingCount.set(key, count);
    if (count > 1) {
      problems.push({
        nodeId: e.target,
        edgeId: e.id,
        message: `${nodeLabel(t)} has ${count} edges into '${e.targetHandle}'; an input takes exactly one`,
      });
      return false;
    }
    let ports = inputsOf.get(e.target);
    if (!ports) {
      ports = new Map();
      inputsOf.set(e.target, ports);
    }
    ports.set(e.targetHandle, { node: e.source, handle: e.sourceHandle });
    const out = outgoing.get(e.source) ?? [];
    out.push({ edge: e.id, target: e.target, targetHandle: e.targetHandle, handle: e.sourceHandle });
    outgoing.set(e.source, out);
    return true;
  });

  // --- exactly one input and one loss ---
  const inputs = doc.nodes.filter((n) => n.type === 'input');
  const losses = doc.nodes.filter((n): n is LossNode => n.type === 'loss');
  if (inputs.length === 0) problems.push({ message: 'The graph needs an Input node (drag one from the palette)' });
  if (losses.length === 0) problems.push({ message: 'The graph needs a Loss node: training minimises it' });
  for (const extra of inputs.slice(1))
    problems.push({ nodeId: extra.id, message: `${nodeLabel(extra)} is a second Input node; a graph has exactly one` });
  for (const extra of losses.slice(1))
    problems.push({ nodeId: extra.id, message: `${nodeLabel(extra)} is a second Loss node; a graph has exactly one` });
  const input = inputs[0];
  const loss = losses[0];

  // --- every input port connected; targets come from input.y only ---
  for (const n of doc.nodes) {
    for (const port of PORTS[n.type].inputs) {
      if (!inputsOf.get(n.id)?.has(port))
        problems.push({ nodeId: n.id, message: `${nodeLabel(n)} has nothing connected to its '${port}' input` });
    }
  }
  for (const e of validEdges) {
    const fromY = e.sourceHandle === 'y';
    const intoTarget = e.targetHandle === 'target';
    if (fromY && !intoTarget) {
      problems.push({
        nodeId: e.target,
        edgeId: e.id,
        message: `${label(e.source)}'s targets 'y' can only feed a Loss node's 'target', not ${label(e.target)}`,
      });
    } else if (intoTarget && !fromY) {
      problems.push({
        nodeId: e.target,
        edgeId: e.id,
        message: `${label(e.target)}'s 'target' must come from the Input's 'y', not from ${label(e.source)}`,
      });
    }
  }

  // --- order and cycles ---
  const { order: orderIds, cycles } = topologicalOrder(
    doc.nodes.map((n) => n.id),
    validEdges.map((e) => [e.source, e.target] as const),
  );
  for (const cycle of cycles) {
    const text = [...cycle, cycle[0]].map((id) => `'${id}'`).join(' → ');
    for (const id of cycle)
      problems.push({ nodeId: id, message: `${label(id)} is on a cycle ${text}; data must flow one way` });
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
      const connected = PORTS[n.type].inputs.every((p) => inputsOf.get(n.id)?.has(p));
      if (connected && !fromInput.has(n.id))
        problems.push({
          nodeId: n.id,
          message: `${nodeLabel(n)} is not connected to ${nodeLabel(input)}: nothing flows into it`,
        });
      if (!toLoss.has(n.id))
        problems.push({
          nodeId: n.id,
          message: `${nodeLabel(n)} is a dead end: its output never reaches ${nodeLabel(loss)}`,
        });
    }
  }

  // --- shapes and parameters ---
  const shapes = new Map<string, number[]>();
  const infos: NodeInfo[] = [];
  const edgeShapes = new Map<string, number[]>();
  let totalParams = 0;
  let inputShape = options.inputShape;
  let targetShape = options.targetShape;
  if (input && (!inputShape || !targetShape)) {
    const dataset = input.type === 'input' ? input.data.dataset : undefined;
    if (!dataset)
      problems.push({ nodeId: input.id, message: `${nodeLabel(input)} has no dataset: choose one in the inspector` });
    else {
      try {
        const s = datasetShapes(dataset);
        inputShape ??= s.inputShape;
        targetShape ??= s.targetShape;
      } catch (e) {
        problems.push({
          nodeId: input.id,
          message: `${nodeLabel(input)}: ${e instanceof Error ? e.message : String(e)}`,
        });
      }
    }
  }
  const outputShape = (s: Source): number[] | undefined => (s.handle === 'y' ? targetShape : shapes.get(s.node));
  const order: GraphNode[] = [];
  let fusedNode: string | undefined;
  for (const id of orderIds) {
    const n = nodes.get(id)!;
    order.push(n);
    const info: NodeInfo = { id, type: n.type, paramCount: 0 };
    if (n.type === 'input') {
      if (inputShape) shapes.set(id, [...inputShape]);
    } else if (n.type === 'loss') {
      const pred = inputsOf.get(id)?.get('pred');
      const target = inputsOf.get(id)?.get('target');
      const p = pred && outputShape(pred);
      const t = target && outputShape(target);
      if (p && t && sizeOf(p) !== sizeOf(t))
        problems.push({
          nodeId: id,
          message: `${nodeLabel(n)} compares pred ${shapeText(p)} with target ${shapeText(t)}`,
        });
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
    } else {
      const ports = PORTS[n.type].inputs.map((p) => inputsOf.get(id)?.get(p));
      const inShapes = ports.map((s) => (s ? outputShape(s) : undefined));
      if (inShapes.every((s): s is number[] => s !== undefined)) {
        const result = OPS[n.type].inferShape(inShapes, n.data as Record<string, unknown>);
        if (typeof result === 'string') problems.push({ nodeId: id, message: `${nodeLabel(n)} ${result}` });
        else {
          shapes.set(id, result);
          if (n.type === 'dense') {
            const features = sizeOf(inShapes[0]!);
            info.paramCount = features * n.data.units + (n.data.bias === false ? 0 : n.data.units);
            totalParams += info.paramCount;
            const saved = doc.weights?.[id]?.W;
            if (saved && saved.shape[0] !== features) {
              problems.push({
                nodeId: id,
                message: `${nodeLabel(n)} expects ${saved.shape[0]} inputs (its saved weights W are ${shapeText(saved.shape)}) but '${ports[0]!.node}' gives ${features}`,
              });
            }
          }
        }
      }
    }
    const shape = shapes.get(id);
    if (shape) info.outputShape = [...shape];
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
    problems.push({
      nodeId: biggest.id,
      message: `The graph holds ${totalParams.toLocaleString('en-US')} parameters, more than the limit of ${MAX_PARAMETERS.toLocaleString('en-US')} (${label(biggest.id)} alone has ${biggest.paramCount.toLocaleString('en-US')})`,
    });
  }

  const analysis: GraphAnalysis = { problems, nodes: infos, edgeShapes, totalParams };
  if (inputShape) analysis.inputShape = [...inputShape];
  if (targetShape) analysis.targetShape = [...targetShape];
  const structure: Structure = { analysis, nodes, order, inputsOf, shapes };
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
