// A model's plan for one batch size: the list of steps over preallocated buffers that forward and
// backward run, with views of every node's output and gradient. Built once per batch size and kept
// in a small cache within a byte budget (training, its last partial batch, evaluation chunks).
import { nodeDefinition, nodeLabel } from '../nodes/index.ts';
import type { Param, Step, Value } from '../ops/types.ts';
import { sizeOf, type Tensor } from '../tensor.ts';
import type { Structure } from './analyze.ts';
import { MAX_ACTIVATION_BYTES } from './budget.ts';

export interface Plan {
  batch: number;
  input: Value;
  inputTensor: Tensor;
  steps: Step[];
  pred: Value;
  predTensor: Tensor;
  /** The fused activation's input (logits), when the loss is fused. */
  logits: Value | null;
  grads: Float32Array[];
  activations: Map<string, Tensor>;
  outputGrads: Map<string, Tensor>;
  /** Each dropout node's mask (its scratch). */
  masks: Map<string, Tensor>;
  bytes: number;
  /** The plan's arrays in the model's memory (given back when the plan is dropped). */
  memory: number[];
  /** Every array of the plan in allocation order: each step's output, its gradient, then its scratch. */
  arrays: Float32Array[];
}

const MAX_PLANS = 4;
/** Bytes the cached plans may hold together; the oldest go first (the one in use always stays). */
const PLAN_CACHE_BYTES = MAX_ACTIVATION_BYTES;
const EMPTY = new Float32Array(0);

/** Bytes a plan holds per sample: every node's output, its gradient and scratch. */
export function planBytesPerSample(structure: Structure): number {
  let floats = 0;
  for (const node of structure.order) {
    if (node.type === 'input' || node.type === 'loss') continue;
    const size = sizeOf(structure.shapes.get(node.id)!);
    floats += 2 * size + (structure.scratch.get(node.id) ?? 0);
  }
  return 4 * floats;
}

/** Arrays per plan: each step's output and gradient, and its scratch (what a helper thread lays out). */
export function planArrays(structure: Structure): number {
  let arrays = 0;
  for (const node of structure.order) {
    if (node.type === 'input' || node.type === 'loss') continue;
    arrays += (structure.scratch.get(node.id) ?? 0) > 0 ? 3 : 2;
  }
  return arrays;
}

/**
 * Drops the oldest of `plans` until a new plan of `bytes` fits beside them (at most MAX_PLANS in
 * PLAN_CACHE_BYTES); `drop` gives each dropped plan's memory back.
 */
export function makeRoomForPlan(plans: Map<number, Plan>, bytes: number, drop: (plan: Plan) => void): void {
  let held = bytes;
  for (const p of plans.values()) held += p.bytes;
  for (const [size, p] of plans) {
    if (plans.size < MAX_PLANS && held <= PLAN_CACHE_BYTES) break;
    plans.delete(size);
    drop(p);
    held -= p.bytes;
  }
}

/** What a plan is built from: the structure, and the model's parameters and buffers per node (shared by all its plans). */
export interface PlanSource {
  readonly structure: Structure;
  readonly paramsByNode: ReadonlyMap<string, Param[]>;
  readonly buffersByNode: ReadonlyMap<string, Tensor[]>;
}

/** `batch` rows' plan with its arrays from `floats`, in a fixed order: each step's output, its gradient, then its scratch. */
export function buildPlan(source: PlanSource, batch: number, alloc: (n: number) => Float32Array): Plan {
  const { structure } = source;
  const arrays: Float32Array[] = [];
  const floats = (n: number) => {
    const a = alloc(n);
    arrays.push(a);
    return a;
  };
  const { order, shapes, inputsOf } = structure;
  const inputNodeId = structure.input!.id;
  const inputShape = shapes.get(inputNodeId)!;
  const value = (shape: number[], withGrad: boolean): Value => {
    const size = sizeOf(shape);
    const data = floats(batch * size);
    return { shape, size, data, grad: withGrad ? floats(batch * size) : null };
  };
  const input: Value = { shape: inputShape, size: sizeOf(inputShape), data: new Float32Array(0), grad: null };
  const inputTensor: Tensor = { shape: [batch, ...inputShape], data: input.data };
  const values = new Map<string, Value>([[inputNodeId, input]]);
  const activations = new Map<string, Tensor>([[inputNodeId, inputTensor]]);
  const outputGrads = new Map<string, Tensor>();
  const masks = new Map<string, Tensor>();
  const steps: Step[] = [];
  const grads: Float32Array[] = [];
  for (const node of order) {
    if (node.type === 'input' || node.type === 'loss') continue;
    const def = nodeDefinition(node.type);
    const ports = inputsOf.get(node.id)!;
    // NOTE: inputs in the definition's port order (a before b), whatever order the edges are listed in.
    const inputs = def.ports.inputs.map((port) => values.get(ports.get(port)!.node)!);
    const output = value(shapes.get(node.id)!, true);
    values.set(node.id, output);
    grads.push(output.grad!);
    const op = def.layer!.op;
    const fused = node.id === structure.fusedNode;
    const perSample = structure.scratch.get(node.id) ?? 0;
    const scratch = perSample > 0 ? floats(batch * perSample) : EMPTY;
    steps.push({
      nodeId: node.id,
      label: nodeLabel(node),
      op,
      inputs,
      output,
      params: source.paramsByNode.get(node.id) ?? [],
      buffers: source.buffersByNode.get(node.id) ?? [],
      data: node.data as Record<string, unknown>,
      fused,
      scratch,
    });
    if (op.mask) masks.set(node.id, { shape: [batch, ...output.shape], data: scratch });
    activations.set(node.id, { shape: [batch, ...output.shape], data: output.data });
    if (!fused) outputGrads.set(node.id, { shape: [batch, ...output.shape], data: output.grad! });
  }
  const predSource = inputsOf.get(structure.loss!.id)!.get('pred')!;
  const pred = values.get(predSource.node)!;
  const fusedStep = steps.find((s) => s.fused);
  return {
    batch,
    input,
    inputTensor,
    steps,
    pred,
    predTensor: activations.get(predSource.node)!,
    logits: fusedStep ? fusedStep.inputs[0]! : null,
    grads,
    activations,
    outputGrads,
    masks,
    bytes: 0,
    memory: [],
    arrays,
  };
}
