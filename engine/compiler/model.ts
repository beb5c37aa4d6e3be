// The compiled network: a list of steps over preallocated buffers, one plan per batch size.
// Once a batch size has been seen, lossAndGrads allocates nothing: every buffer, tensor, map and
// the result object are made when the plan is built and reused afterwards. Plans are kept for a
// few batch sizes within a byte budget (training, its last partial batch, evaluation chunks).
import type { Model, NonFiniteReport } from '../api.ts';
import type { ActivationFn, LossFn } from '../format/types.ts';
import { FUSED_LOSSES, LOSSES, type LossImpl } from '../ops/losses.ts';
import { nodeDefinition, nodeLabel } from '../nodes/index.ts';
import type { Param, RunContext, Step, Value } from '../ops/types.ts';
import { createRng } from '../prng.ts';
import { sizeOf, type Tensor } from '../tensor.ts';
import type { Structure } from './analyze.ts';
import { MAX_ACTIVATION_BYTES } from './budget.ts';
import { ResidentBatch, Residency } from '../kernels/residency.ts';
import { sharedArena } from '../kernels/wasm/arena.ts';
import { batchSplits, DataParallel, threadsFor } from '../parallel/threads.ts';

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
}

const MAX_PLANS = 4;
/** Bytes the cached plans may hold together; the oldest go first (the one in use always stays). */
const PLAN_CACHE_BYTES = MAX_ACTIVATION_BYTES;
const EMPTY = new Float32Array(0);

export class CompiledModel implements Model {
  readonly params = new Map<string, Tensor>();
  readonly buffers = new Map<string, Tensor>();
  readonly decayKeys: ReadonlySet<string>;
  readonly info;
  readonly lossFn: LossFn;
  readonly fusedActivation: ActivationFn | null;
  private readonly paramList: Param[] = [];
  private readonly memory = new Residency(this);
  private readonly paramMemory = this.memory.group();
  private readonly residentX = new ResidentBatch(this.memory);
  private readonly paramsByNode = new Map<string, Param[]>();
  private readonly buffersByNode = new Map<string, Tensor[]>();
  private readonly training: RunContext;
  private readonly inference: RunContext;
  private readonly grads = new Map<string, Tensor>();
  private readonly result: { loss: number; grads: Map<string, Tensor> };
  private readonly plans = new Map<number, Plan>();
  private readonly lossImpl: LossImpl;
  private readonly lossNodeId: string;
  private readonly inputNodeId: string;
  private last: Plan | null = null;
  private lastLoss = 0;
  private lastTargets: Float32Array | null = null;
  /** Bytes a plan holds per sample: every node's output, its gradient and scratch. */
  private readonly planBytesPerSample: number;

  /**
   * `seed` drives the model's own randomness (dropout masks). `paramsAt`: float offsets in the shared
   * arena of parameters another thread owns (a helper thread's model reads the training thread's
   * parameters in place; its gradients are its own).
   */
  constructor(
    private readonly structure: Structure,
    seed = 1,
    private readonly paramsAt?: ReadonlyMap<string, number>,
  ) {
    const rng = createRng((seed ^ 0x5bd1e995) >>> 0);
    this.training = { training: true, rng };
    this.inference = { training: false, rng };
    const loss = structure.loss!;
    this.info = structure.analysis;
    this.lossFn = loss.data.fn;
    this.lossNodeId = loss.id;
    this.inputNodeId = structure.input!.id;
    const fusion = structure.fusedNode ? FUSED_LOSSES[this.lossFn] : undefined;
    this.fusedActivation = fusion ? fusion.activation : null;
    this.lossImpl = fusion ? fusion.impl : LOSSES[this.lossFn];
    for (const node of structure.order) {
      const specs = structure.params.get(node.id) ?? [];
      this.paramsByNode.set(
        node.id,
        specs.map((spec) => this.addParam(`${node.id}.${spec.name}`, spec.shape)),
      );
      const buffers = (structure.buffers.get(node.id) ?? []).map((spec) => {
        const t: Tensor = { shape: [...spec.shape], data: new Float32Array(sizeOf(spec.shape)).fill(spec.fill) };
        this.buffers.set(`${node.id}.${spec.name}`, t);
        return t;
      });
      this.buffersByNode.set(node.id, buffers);
    }
    this.decayKeys = new Set(this.info.nodes.flatMap((n) => n.params.filter((p) => p.decay).map((p) => p.key)));
    this.result = { loss: 0, grads: this.grads };
    let floats = 0;
    for (const node of structure.order) {
      if (node.type === 'input' || node.type === 'loss') continue;
      const size = sizeOf(structure.shapes.get(node.id)!);
      floats += 2 * size + (structure.scratch.get(node.id) ?? 0);
    }
    this.planBytesPerSample = 4 * floats;
  }

  /** Most rows one call may take within the memory limit the analysis checks training steps with. */
  private get maxBatch(): number {
    return Math.max(1, Math.floor(MAX_ACTIVATION_BYTES / Math.max(1, this.planBytesPerSample)));
  }

  private addParam(key: string, shape: number[]): Param {
    const at = this.paramsAt?.get(key);
    const data =
      at === undefined ? this.memory.floats(sizeOf(shape), this.paramMemory) : sharedArena()!.view(at, sizeOf(shape));
    const value: Tensor = { shape: [...shape], data };
    const grad: Tensor = { shape: [...shape], data: this.memory.floats(sizeOf(shape), this.paramMemory) };
    this.params.set(key, value);
    this.grads.set(key, grad);
    const param = { key, value, grad };
    this.paramList.push(param);
    return param;
  }

  private plan(batch: number): Plan {
    const cached = this.plans.get(batch);
    if (cached) return cached;
    const bytes = batch * this.planBytesPerSample;
    if (bytes > MAX_ACTIVATION_BYTES) {
      throw new RangeError(
        `a batch of ${batch} rows needs ${Math.ceil(bytes / 1e6)} MB for the network's activations and gradients, more than the limit of ${MAX_ACTIVATION_BYTES / 1e6} MB: pass at most ${this.maxBatch} rows at a time`,
      );
    }
    let held = bytes;
    for (const p of this.plans.values()) held += p.bytes;
    for (const [size, p] of this.plans) {
      if (this.plans.size < MAX_PLANS && held <= PLAN_CACHE_BYTES) break;
      this.plans.delete(size);
      // NOTE: the last plan run may be dropped here; activations() must not hand out freed arrays.
      if (this.last === p) this.last = null;
      this.memory.release(p.memory);
      held -= p.bytes;
    }
    const memory = this.memory.group();
    const plan = this.buildPlan(batch, (n) => this.memory.floats(n, memory));
    plan.bytes = bytes;
    plan.memory = memory;
    this.plans.set(batch, plan);
    return plan;
  }

  /**
   * A plan for `batch` rows that are rows [from, from + batch) of another thread's plan, whose arrays
   * start at the float offsets `layout` (that plan's `memory`, in allocation order) in the shared
   * arena: a two-thread step's helper writes its half straight into the training thread's plan.
   */
  rowsPlan(batch: number, from: number, layout: ArrayLike<number>): Plan {
    const arena = sharedArena()!;
    let i = 0;
    return this.buildPlan(batch, (n) => arena.view((layout[i++] as number) + from * (n / batch), n));
  }

  /** The plan's arrays from `floats`, in a fixed order: each step's output, its gradient, then its scratch. */
  private buildPlan(batch: number, floats: (n: number) => Float32Array): Plan {
    const { order, shapes, inputsOf } = this.structure;
    const inputShape = shapes.get(this.inputNodeId)!;
    const value = (shape: number[], withGrad: boolean): Value => {
      const size = sizeOf(shape);
      const data = floats(batch * size);
      return { shape, size, data, grad: withGrad ? floats(batch * size) : null };
    };
    const input: Value = { shape: inputShape, size: sizeOf(inputShape), data: new Float32Array(0), grad: null };
    const inputTensor: Tensor = { shape: [batch, ...inputShape], data: input.data };
    const values = new Map<string, Value>([[this.inputNodeId, input]]);
    const activations = new Map<string, Tensor>([[this.inputNodeId, inputTensor]]);
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
      const fused = node.id === this.structure.fusedNode;
      const perSample = this.structure.scratch.get(node.id) ?? 0;
      const scratch = perSample > 0 ? floats(batch * perSample) : EMPTY;
      steps.push({
        nodeId: node.id,
        label: nodeLabel(node),
        op,
        inputs,
        output,
        params: this.paramsByNode.get(node.id) ?? [],
        buffers: this.buffersByNode.get(node.id) ?? [],
        data: node.data as Record<string, unknown>,
        fused,
        scratch,
      });
      if (op.mask) masks.set(node.id, { shape: [batch, ...output.shape], data: scratch });
      activations.set(node.id, { shape: [batch, ...output.shape], data: output.data });
      if (!fused) outputGrads.set(node.id, { shape: [batch, ...output.shape], data: output.grad! });
    }
    const predSource = inputsOf.get(this.lossNodeId)!.get('pred')!;
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
    };
  }

  private forward(x: Tensor, ctx: RunContext): Plan {
    const plan = this.plan(x.shape[0] as number);
    this.forwardRows(plan, plan.batch, x, ctx);
    this.last = plan;
    return plan;
  }

  /** The forward pass over the first `rows` rows of `plan`, reading x in place. */
  private forwardRows(plan: Plan, rows: number, x: Tensor, ctx: RunContext): void {
    this.checkInputs(plan, x, rows);
    plan.input.data = x.data;
    plan.inputTensor.data = x.data;
    const steps = plan.steps;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      step.op.forward(step, rows, ctx);
    }
  }

  private checkInputs(plan: Plan, x: Tensor, rows: number): void {
    if (x.data.length < rows * plan.input.size) {
      throw new RangeError(
        `input batch holds ${x.data.length} values but ${rows} samples of ${plan.input.size} features need ${rows * plan.input.size}`,
      );
    }
  }

  private checkTargets(plan: Plan, y: Tensor, rows = plan.batch): void {
    const needed = rows * plan.pred.size;
    if (y.data.length < needed) {
      throw new RangeError(
        `target batch holds ${y.data.length} values but ${rows} samples of ${plan.pred.size} targets need ${needed}`,
      );
    }
  }

  private lossValue(plan: Plan, y: Tensor): number {
    const logits = plan.logits ? plan.logits.data : plan.pred.data;
    this.lastTargets = y.data;
    this.lastLoss = this.lossImpl.value(plan.pred.data, logits, y.data, plan.batch, plan.pred.size);
    return this.lastLoss;
  }

  /**
   * One training step's work on the first `rows` rows of `plan` (all of them on one thread; a half
   * in a two-thread step): forward, the loss's gradient scaled for a batch of `total` rows, backward
   * into the parameters' gradients (overwritten). Returns the mean loss over these rows.
   */
  trainRows(plan: Plan, rows: number, x: Tensor, y: Tensor, total: number): number {
    this.forwardRows(plan, rows, x, this.training);
    this.checkTargets(plan, y, rows);
    const logits = plan.logits ? plan.logits.data : plan.pred.data;
    const loss = this.lossImpl.value(plan.pred.data, logits, y.data, rows, plan.pred.size);
    const { grads, steps } = plan;
    for (let i = 0; i < grads.length; i++) grads[i]!.fill(0, 0, rows * steps[i]!.output.size);
    // NOTE: null when the loss reads the Input's data straight (input → softmax → loss): nothing to learn.
    const into = plan.logits ? plan.logits.grad : plan.pred.grad;
    if (into) this.lossImpl.grad(plan.pred.data, logits, y.data, into, rows, plan.pred.size, total);
    for (let i = steps.length - 1; i >= 0; i--) {
      const step = steps[i]!;
      step.op.backward(step, rows);
    }
    return loss;
  }

  /** The helper thread's side of two-thread steps (compile's `threads` option), or null. */
  private parallel: DataParallel | null = null;

  /** The document (without weights) and seed a helper thread compiles, set by compile. */
  private source: { doc: unknown; seed: number } | null = null;

  /** What a helper thread compiles: the model's document without weights (it reads ours) and seed. */
  setThreadsSource(doc: unknown, seed: number): void {
    this.source = { doc, seed };
  }

  /**
   * Starts or ends the helper thread as CompileOptions.threads says ('auto': by the step's size);
   * steps after the change run on the new count. The parameters and every view stay as they are.
   */
  setThreads(threads: number | 'auto'): void {
    const { step } = this.info;
    if (threadsFor(threads, step.multiplyAddsPerSample * step.batch) === 2) {
      if (this.source) this.startThreads(this.source.doc, this.source.seed);
    } else if (this.parallel) {
      this.parallel.stop();
      this.parallel = null;
    }
  }

  /**
   * Starts a helper thread for two-thread steps where one can run (see CompileOptions.threads).
   * `doc`: the document this model was compiled from (without weights: the helper reads ours).
   */
  startThreads(doc: unknown, seed: number): void {
    const arena = sharedArena();
    const splits = batchSplits(
      this.buffers.size,
      this.structure.order.map((n) => n.type),
    );
    if (!arena || !splits || this.parallel) return;
    const shapes = this.structure.shapes;
    const inputShape = shapes.get(this.inputNodeId)!;
    const targetShape = shapes.get(this.structure.inputsOf.get(this.lossNodeId)!.get('pred')!.node)!;
    // Arrays per plan: each step's output and gradient, and its scratch.
    let arrays = 0;
    for (const node of this.structure.order) {
      if (node.type === 'input' || node.type === 'loss') continue;
      arrays += (this.structure.scratch.get(node.id) ?? 0) > 0 ? 3 : 2;
    }
    this.parallel = DataParallel.start(arena, doc, { seed, inputShape, targetShape }, this.params, arrays);
    if (this.parallel) threadsRegistry?.register(this, this.parallel);
  }

  /** Each parameter's gradient array (what lossAndGrads returns; a helper thread's are read by the training thread). */
  paramGrads(): ReadonlyMap<string, Tensor> {
    return this.grads;
  }

  /** Gives the model's arrays in the arena back; the model must not be used afterwards. */
  release(): void {
    this.parallel?.stop();
    this.parallel = null;
    this.plans.clear();
    this.last = null;
    this.memory.releaseAll();
  }

  get threads(): number {
    return this.parallel?.ready ? 2 : 1;
  }

  async threadsReady(): Promise<number> {
    if (this.parallel) await this.parallel.whenReady();
    return this.threads;
  }

  lossAndGrads(batch: Tensor, y: Tensor): { loss: number; grads: Map<string, Tensor> } {
    const plan = this.plan(batch.shape[0] as number);
    const result = this.result;
    this.checkTargets(plan, y);
    this.checkInputs(plan, batch, plan.batch);
    const x = this.residentX.of(batch, plan.batch * plan.input.size);
    // NOTE: the helper writes its rows into this plan, so every view below covers the whole batch.
    const loss = this.parallel?.lossAndGrads(plan, x, y, this.grads, (rows) =>
      this.trainRows(plan, rows, x, y, plan.batch),
    );
    result.loss = loss ?? this.trainRows(plan, plan.batch, x, y, plan.batch);
    this.last = plan;
    this.lastLoss = result.loss;
    this.lastTargets = y.data;
    return result;
  }

  predict(x: Tensor): Tensor {
    return this.forward(x, this.inference).predTensor;
  }

  loss(x: Tensor, y: Tensor): number {
    const plan = this.forward(x, this.inference);
    this.checkTargets(plan, y);
    return this.lossValue(plan, y);
  }

  activations(): Map<string, Tensor> {
    return this.last ? this.last.activations : new Map();
  }

  outputGrads(): Map<string, Tensor> {
    return this.last ? this.last.outputGrads : new Map();
  }

  dropoutMasks(): Map<string, Tensor> {
    return this.last ? this.last.masks : new Map();
  }

  findNonFinite(): NonFiniteReport | null {
    const plan = this.last;
    const node = (id: string) => this.structure.nodes.get(id)!;
    if (plan) {
      const bad = firstNonFinite(plan.input.data, plan.batch * plan.input.size);
      if (bad) return report(this.inputNodeId, 'output', `${nodeLabel(node(this.inputNodeId))}'s data holds ${bad}`);
      for (const step of plan.steps) {
        const b = firstNonFinite(step.output.data, plan.batch * step.output.size);
        if (b) return report(step.nodeId, 'output', `${step.label} output holds ${b}`);
      }
      if (!Number.isFinite(this.lastLoss)) {
        const loss = nodeLabel(node(this.lossNodeId));
        const targets = this.lastTargets && firstNonFinite(this.lastTargets, plan.batch * plan.pred.size);
        if (targets)
          return report(this.lossNodeId, 'loss', `the targets fed to ${loss} hold ${targets}: check the dataset`);
        const hint = this.lossFn.includes('cross_entropy')
          ? 'log of 0? check the targets and the loss function'
          : 'it overflowed: lower the learning rate or scale the targets';
        return report(this.lossNodeId, 'loss', `${loss} is ${this.lastLoss} (${hint})`);
      }
      for (let i = plan.steps.length - 1; i >= 0; i--) {
        const step = plan.steps[i]!;
        const b = step.fused ? null : firstNonFinite(step.output.grad!, plan.batch * step.output.size);
        if (b) return report(step.nodeId, 'gradient', `the gradient at ${step.label}'s output holds ${b}`);
      }
    }
    for (const p of this.paramList) {
      const b = firstNonFinite(p.value.data, p.value.data.length) ?? firstNonFinite(p.grad.data, p.grad.data.length);
      if (b) {
        const id = p.key.slice(0, p.key.lastIndexOf('.'));
        return report(
          id,
          'parameter',
          `${nodeLabel(node(id))} parameter ${p.key.slice(id.length + 1)} (or its gradient) holds ${b}`,
        );
      }
    }
    return null;
  }
}

/** Ends a collected model's helper thread. */
const threadsRegistry =
  typeof FinalizationRegistry === 'undefined' ? null : new FinalizationRegistry<DataParallel>((p) => p.stop());

function report(nodeId: string, where: NonFiniteReport['where'], message: string): NonFiniteReport {
  return { nodeId, where, message };
}

/** "NaN", "Infinity" or "-Infinity" for the first non-finite element, else null. */
export function firstNonFinite(data: Float32Array, n: number): string | null {
  for (let i = 0; i < n; i++) {
    const v = data[i] as number;
    if (v - v !== 0) return String(v);
  }
  return null;
}
