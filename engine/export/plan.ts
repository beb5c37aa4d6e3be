// What every exporter needs from a document and its model, in one shape: the layers in topological
// order (input and loss left out), where each takes its inputs from, shapes, parameters with their
// current values, and the loss with the activation fused into it. Generators only print this.
import type { Model } from '../compiler/types.ts';
import { analyzeStructure } from '../compiler/analyze.ts';
import { CompileError } from '../compiler/errors.ts';
import type { ActivationFn, GraphDoc, LossFn, NodeType, TrainingConfig } from '../format/types.ts';
import { type ExportLayerView, type LayerRules, nodeDefinition } from '../nodes/index.ts';
import type { Tensor } from '../tensor.ts';

export interface ExportParam {
  /** "<nodeId>.<name>", the key in Model.params. */
  key: string;
  name: string;
  shape: number[];
  /** Weight decay applies (weights yes, biases no). */
  decay: boolean;
  value: Tensor;
}

export interface ExportLayer {
  id: string;
  type: Exclude<NodeType, 'input' | 'loss'>;
  /** Node data (units, fn, rate…). */
  data: Record<string, unknown>;
  /** Ids of the nodes feeding the input ports, in the definition's port order (a before b). */
  inputs: string[];
  /** Per-sample output shape (no batch axis). */
  shape: number[];
  /** Per-sample shape of each input, in port order. */
  inputShapes: number[][];
  params: ExportParam[];
  /** Buffers (BatchNorm's running statistics), saved beside the parameters. */
  buffers: ExportParam[];
  /** Set on the softmax/sigmoid whose input the loss reads directly (the stable fused form). */
  fused: boolean;
}

export interface ExportPlan {
  name: string;
  /** Id of the Input node: layers fed by `x` name it in `inputs`. */
  inputId: string;
  inputShape: number[];
  targetShape: number[];
  layers: ExportLayer[];
  /** Id of the node whose output `predict` returns (may be `inputId` for a graph without layers). */
  predId: string;
  loss: { id: string; fn: LossFn; fused: ActivationFn | null; logitsId: string | null };
  training: TrainingConfig;
  /** Every parameter, in the model's order. */
  params: ExportParam[];
  /** Every buffer, in the model's order. */
  buffers: ExportParam[];
}

/**
 * Reads the graph of `doc` with the parameters of `model` (compiled from `doc`).
 * @throws CompileError when the document does not compile; Error when the model has other parameters.
 */
export function exportPlan(doc: GraphDoc, model: Model): ExportPlan {
  const options: { inputShape?: number[]; targetShape?: number[] } = {};
  if (model.info.inputShape) options.inputShape = model.info.inputShape;
  if (model.info.targetShape) options.targetShape = model.info.targetShape;
  const s = analyzeStructure(doc, options);
  if (s.analysis.problems.length > 0) throw new CompileError(s.analysis.problems);
  const input = s.input!;
  const loss = s.loss!;
  const layers: ExportLayer[] = [];
  const params: ExportParam[] = [];
  const buffers: ExportParam[] = [];
  const infos = new Map(s.analysis.nodes.map((n) => [n.id, n]));
  for (const node of s.order) {
    if (node.type === 'input' || node.type === 'loss') continue;
    const ports = s.inputsOf.get(node.id)!;
    const layerParams = infos.get(node.id)!.params.map((p) => {
      const value = model.params.get(p.key);
      if (!value || !sameShape(value.shape, p.shape))
        throw new Error(
          `export: the model has no parameter ${p.key} of shape [${p.shape.join(', ')}]: compile it from this document`,
        );
      return { key: p.key, name: p.name, shape: [...p.shape], decay: p.decay, value };
    });
    params.push(...layerParams);
    const layerBuffers = (s.buffers.get(node.id) ?? []).map((b) => {
      const key = `${node.id}.${b.name}`;
      const value = model.buffers.get(key);
      if (!value || !sameShape(value.shape, b.shape))
        throw new Error(`export: the model has no buffer ${key}: compile it from this document`);
      return { key, name: b.name, shape: [...b.shape], decay: false, value };
    });
    buffers.push(...layerBuffers);
    const sources = nodeDefinition(node.type).ports.inputs.map((p) => ports.get(p)!);
    layers.push({
      id: node.id,
      type: node.type,
      data: node.data as Record<string, unknown>,
      inputs: sources.map((src) => src.node),
      shape: [...s.shapes.get(node.id)!],
      inputShapes: sources.map((src) => [...(src.handle === 'y' ? s.analysis.targetShape! : s.shapes.get(src.node)!)]),
      params: layerParams,
      buffers: layerBuffers,
      fused: node.id === s.fusedNode,
    });
  }
  const predId = s.inputsOf.get(loss.id)!.get('pred')!.node;
  const fusedLayer = layers.find((l) => l.fused);
  return {
    name: doc.name,
    inputId: input.id,
    inputShape: [...s.shapes.get(input.id)!],
    targetShape: [...(s.analysis.targetShape ?? [])],
    layers,
    predId,
    loss: {
      id: loss.id,
      fn: loss.data.fn,
      fused: fusedLayer ? (fusedLayer.data.fn as ActivationFn) : null,
      logitsId: fusedLayer ? fusedLayer.inputs[0]! : null,
    },
    training: doc.training,
    params,
    buffers,
  };
}

/** What a node module's emitters see of a layer. */
export function layerView(layer: ExportLayer): ExportLayerView<never> {
  return {
    id: layer.id,
    data: layer.data as never,
    shape: layer.shape,
    inputShapes: layer.inputShapes,
    params: layer.params.map((p) => p.name),
    fused: layer.fused,
  };
}

/** A layer's rules from its node module (every layer type has them). */
export function layerRules(layer: ExportLayer): LayerRules<never> {
  const rules = nodeDefinition(layer.type).layer;
  if (!rules) throw new Error(`export: node type '${layer.type}' has no layer rules`);
  return rules as LayerRules<never>;
}

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Unique identifiers for node ids: characters outside [A-Za-z0-9_] become '_', a leading digit or
 * underscore or a reserved word gets a prefix, and repeats get "_2", "_3"… `reserved` is checked
 * case-sensitively.
 */
export function identifiers(ids: readonly string[], reserved: ReadonlySet<string>, prefix = 'n'): Map<string, string> {
  const taken = new Set(reserved);
  const names = new Map<string, string>();
  for (const id of ids) {
    let base = id.replace(/[^A-Za-z0-9_]/g, '_') || 'node';
    if (/^[0-9_]/.test(base) || reserved.has(base)) base = `${prefix}${base}`;
    let name = base;
    for (let k = 2; taken.has(name); k++) name = `${base}_${k}`;
    taken.add(name);
    names.set(id, name);
  }
  return names;
}
