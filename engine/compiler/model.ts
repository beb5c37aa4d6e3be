// The compiled network: a list of steps over preallocated buffers, one plan per batch size (plan.ts).
// Once a batch size has been seen, lossAndGrads allocates nothing: every buffer, tensor, map and
// the result object are made when the plan is built and reused afterwards. Plans are kept for a
// few batch sizes within a byte budget (training, its last partial batch, evaluation chunks).
import type { Model, NonFiniteReport } from './types.ts';
import type { ActivationFn, LossFn } from '../format/types.ts';
import { FUSED_LOSSES, LOSSES, type LossImpl } from '../ops/losses.ts';
import type { Param, RunContext } from '../ops/types.ts';
import { createRng } from '../prng.ts';
import { sizeOf, type Tensor } from '../tensor.ts';
import type { Structure } from './analyze.ts';
import { MAX_ACTIVATION_BYTES } from './budget.ts';
import { ResidentBatch, Residency } from '../kernels/residency.ts';
import { sharedArena } from '../kernels/wasm/arena.ts';
import { ModelHelpers } from './helperThread.ts';
import { findNonFinite } from './nonFinite.ts';
import { buildPlan, makeRoomForPlan, type Plan, type PlanSource, planBytesPerSample } from './plan.ts';

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
  /** What every plan's steps are built from (the structure, these parameters and buffers). */
  private readonly planSource: PlanSource;
  private readonly training: RunContext;
  private readonly inference: RunContext;
  private readonly grads = new Map<string, Tensor>();
  private readonly result: { loss: number; grads: Map<string, Tensor> };
  private readonly plans = new Map<number, Plan>();
  private readonly lossImpl: LossImpl;
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
    this.planSource = { structure, paramsByNode: this.paramsByNode, buffersByNode: this.buffersByNode };
    this.planBytesPerSample = planBytesPerSample(structure);
    this.helpers = new ModelHelpers(this, structure);
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
    makeRoomForPlan(this.plans, bytes, (p) => {
      // NOTE: the last plan run may be dropped here; activations() must not hand out freed arrays.
      if (this.last === p) this.last = null;
      this.memory.release(p.memory);
    });
    const memory = this.memory.group();
    const plan = buildPlan(this.planSource, batch, (n) => this.memory.floats(n, memory));
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
    return buildPlan(this.planSource, batch, (n) => arena.view((layout[i++] as number) + from * (n / batch), n));
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

  /** Its helper for two-thread steps (compile's `threads` option): none, sharing memory, or by messages. */
  private readonly helpers: ModelHelpers;

  /** What a helper thread compiles: the model's document without weights (it reads ours) and seed. */
  setThreadsSource(doc: unknown, seed: number): void {
    this.helpers.setSource(doc, seed);
  }

  /**
   * Starts or ends the helper thread as CompileOptions.threads says ('auto': by the step's size);
   * steps after the change run on the new count. The parameters and every view stay as they are.
   */
  setThreads(threads: number | 'auto'): void {
    this.helpers.set(threads);
  }

  /** Each parameter's gradient array (what lossAndGrads returns; a helper thread's are read by the training thread). */
  paramGrads(): ReadonlyMap<string, Tensor> {
    return this.grads;
  }

  /** Gives the model's arrays in the arena back; the model must not be used afterwards. */
  release(): void {
    this.helpers.stop();
    this.plans.clear();
    this.last = null;
    this.memory.releaseAll();
  }

  get threads(): number {
    return this.helpers.by ? 2 : 1;
  }

  get threadsBy(): 'memory' | 'messages' | undefined {
    return this.helpers.by;
  }

  async threadsReady(): Promise<number> {
    await this.helpers.whenReady();
    return this.threads;
  }

  /** A training step's plan for `batch`, after checking the batch and its targets fit it. */
  private stepPlan(batch: Tensor, y: Tensor): Plan {
    const plan = this.plan(batch.shape[0] as number);
    this.checkTargets(plan, y);
    this.checkInputs(plan, batch, plan.batch);
    return plan;
  }

  /** Records a finished step's plan and loss for the views and findNonFinite. */
  private finishStep(plan: Plan, y: Tensor, loss: number): { loss: number; grads: Map<string, Tensor> } {
    this.result.loss = loss;
    this.last = plan;
    this.lastLoss = loss;
    this.lastTargets = y.data;
    return this.result;
  }

  lossAndGrads(batch: Tensor, y: Tensor): { loss: number; grads: Map<string, Tensor> } {
    const plan = this.stepPlan(batch, y);
    const x = this.residentX.of(batch, plan.batch * plan.input.size);
    // NOTE: the helper writes its rows into this plan, so every view below covers the whole batch.
    const loss = this.helpers.memory?.lossAndGrads(plan, x, y, this.grads, (rows) =>
      this.trainRows(plan, rows, x, y, plan.batch),
    );
    return this.finishStep(plan, y, loss ?? this.trainRows(plan, plan.batch, x, y, plan.batch));
  }

  lossAndGradsAsync(batch: Tensor, y: Tensor): Promise<{ loss: number; grads: Map<string, Tensor> }> {
    const messages = this.helpers.messages;
    if (!messages?.ready) return Promise.resolve(this.lossAndGrads(batch, y));
    const plan = this.stepPlan(batch, y);
    const x = this.residentX.of(batch, plan.batch * plan.input.size);
    // NOTE: the helper's rows of the plan are copied in when it answers: the views cover the whole batch.
    const pending = messages.lossAndGrads(plan, x, y, (rows) => this.trainRows(plan, rows, x, y, plan.batch));
    if (!pending) return Promise.resolve(this.finishStep(plan, y, this.trainRows(plan, plan.batch, x, y, plan.batch)));
    return pending.then((loss) => this.finishStep(plan, y, loss));
  }

  /**
   * A message helper's step (engine/parallel/messageHelper.ts): lossAndGrads over rows that are the
   * last of a batch of `total` rows (the loss's gradient scaled for all of them); returns their mean
   * loss. lastPlanArrays() then holds what the step wrote.
   */
  trainPart(batch: Tensor, y: Tensor, total: number): number {
    const plan = this.stepPlan(batch, y);
    const x = this.residentX.of(batch, plan.batch * plan.input.size);
    return this.finishStep(plan, y, this.trainRows(plan, plan.batch, x, y, total)).loss;
  }

  /** Every array of the plan the last step ran, in the plan's order (see Plan.arrays). */
  lastPlanArrays(): readonly Float32Array[] {
    return this.last ? this.last.arrays : [];
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
    return findNonFinite({
      structure: this.structure,
      plan: this.last,
      lossFn: this.lossFn,
      loss: this.lastLoss,
      targets: this.lastTargets,
      params: this.paramList,
    });
  }
}
