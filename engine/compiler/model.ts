// The compiled network: a list of steps over preallocated buffers, one plan per batch size.
// Once a batch size has been seen, lossAndGrads allocates nothing: every buffer, tensor, map and
// the result object are made when the plan is built and reused afterwards.
import type { Model, NonFiniteReport } from '../api.ts';
import type { ActivationFn, LossFn } from '../format/types.ts';
import { FUSED_LOSSES, LOSSES, type LossImpl } from '../ops/losses.ts';
import { OPS } from '../ops/registry.ts';
import type { Param, Step, Value } from '../ops/types.ts';
import { sizeOf, type Tensor } from '../tensor.ts';
import type { Structure } from './analyze.ts';
import { nodeLabel } from './errors.ts';

interface Plan {
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
}

const MAX_PLANS = 4;

export class CompiledModel implements Model {
  readonly params = new Map<string, Tensor>();
  readonly info;
  readonly lossFn: LossFn;
  readonly fusedActivation: ActivationFn | null;
  private readonly paramList: Param[] = [];
  private readonly grads = new Map<string, Tensor>();
  private readonly result: { loss: number; grads: Map<string, Tensor> };
  private readonly plans = new Map<number, Plan>();
  private readonly lossImpl: LossImpl;
  private readonly lossNodeId: string;
  private readonly inputNodeId: string;
  private last: Plan | null = null;
  private lastLoss = 0;

  constructor(private readonly structure: Structure) {
    const loss = structure.loss!;
    this.info = structure.analysis;
    this.lossFn = loss.data.fn;
    this.lossNodeId = loss.id;
    this.inputNodeId = structure.input!.id;
    const fusion = structure.fusedNode ? FUSED_LOSSES[this.lossFn] : undefined;
    this.fusedActivation = fusion ? fusion.activation : null;
    this.lossImpl = fusion ? fusion.impl : LOSSES[this.lossFn];
    for (const node of structure.order) {
      if (node.type !== 'dense') continue;
      const fanIn = sizeOf(this.sourceShape(node.id, 'in')!);
      this.addParam(`${node.id}.W`, [fanIn, node.data.units]);
      if (node.data.bias !== false) this.addParam(`${node.id}.b`, [node.data.units]);
    }
    this.result = { loss: 0, grads: this.grads };
  }

  private sourceShape(nodeId: string, port: string): number[] | undefined {
    const s = this.structure.inputsOf.get(nodeId)?.get(port);
    if (!s) return undefined;
    return s.handle === 'y' ? this.structure.analysis.targetShape : this.structure.shapes.get(s.node);
  }

  private addParam(key: string, shape: number[]): void {
    const value: Tensor = { shape, data: new Float32Array(sizeOf(shape)) };
    const grad: Tensor = { shape: [...shape], data: new Float32Array(sizeOf(shape)) };
    this.params.set(key, value);
    this.grads.set(key, grad);
    this.paramList.push({ key, value, grad });
  }

  private plan(batch: number): Plan {
    const cached = this.plans.get(batch);
    if (cached) return cached;
    const { order, shapes, inputsOf } = this.structure;
    const inputShape = shapes.get(this.inputNodeId)!;
    const value = (shape: number[], withGrad: boolean): Value => {
      const size = sizeOf(shape);
      return {
        shape,
        size,
        data: new Float32Array(batch * size),
        grad: withGrad ? new Float32Array(batch * size) : null,
      };
    };
    const input: Value = { shape: inputShape, size: sizeOf(inputShape), data: new Float32Array(0), grad: null };
    const inputTensor: Tensor = { shape: [batch, ...inputShape], data: input.data };
    const values = new Map<string, Value>([[this.inputNodeId, input]]);
    const activations = new Map<string, Tensor>([[this.inputNodeId, inputTensor]]);
    const outputGrads = new Map<string, Tensor>();
    const steps: Step[] = [];
    const grads: Float32Array[] = [];
    for (const node of order) {
      if (node.type === 'input' || node.type === 'loss') continue;
      const ports = inputsOf.get(node.id)!;
      const inputs = [...ports.values()].map((s) => values.get(s.node)!);
      // NOTE: keep port order (a before b) whatever order the edges are listed in.
      if (node.type === 'add' || node.type === 'concat')
        inputs.splice(0, 2, values.get(ports.get('a')!.node)!, values.get(ports.get('b')!.node)!);
      const output = value(shapes.get(node.id)!, true);
      values.set(node.id, output);
      grads.push(output.grad!);
      const params = this.paramList.filter((p) => p.key === `${node.id}.W` || p.key === `${node.id}.b`);
      const fused = node.id === this.structure.fusedNode;
      steps.push({
        nodeId: node.id,
        label: nodeLabel(node),
        op: OPS[node.type],
        inputs,
        output,
        params,
        fn: node.type === 'activation' ? node.data.fn : 'identity',
        fused,
      });
      activations.set(node.id, { shape: [batch, ...output.shape], data: output.data });
      if (!fused) outputGrads.set(node.id, { shape: [batch, ...output.shape], data: output.grad! });
    }
    const predSource = inputsOf.get(this.lossNodeId)!.get('pred')!;
    const pred = values.get(predSource.node)!;
    const fusedStep = steps.find((s) => s.fused);
    const plan: Plan = {
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
    };
    if (this.plans.size >= MAX_PLANS) this.plans.delete(this.plans.keys().next().value as number);
    this.plans.set(batch, plan);
    return plan;
  }

  private forward(x: Tensor): Plan {
    const batch = x.shape[0] as number;
    const plan = this.plan(batch);
    if (x.data.length < batch * plan.input.size) {
      throw new Error(
        `input batch holds ${x.data.length} values but ${batch} samples of ${plan.input.size} features need ${batch * plan.input.size}`,
      );
    }
    plan.input.data = x.data;
    plan.inputTensor.data = x.data;
    const steps = plan.steps;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      step.op.forward(step, batch);
    }
    this.last = plan;
    return plan;
  }

  private lossValue(plan: Plan, y: Tensor): number {
    const logits = plan.logits ? plan.logits.data : plan.pred.data;
    this.lastLoss = this.lossImpl.value(plan.pred.data, logits, y.data, plan.batch, plan.pred.size);
    return this.lastLoss;
  }

  lossAndGrads(x: Tensor, y: Tensor): { loss: number; grads: Map<string, Tensor> } {
    const plan = this.forward(x);
    this.result.loss = this.lossValue(plan, y);
    const grads = plan.grads;
    for (let i = 0; i < grads.length; i++) grads[i]!.fill(0);
    const into = plan.logits ? plan.logits.grad! : plan.pred.grad!;
    const logits = plan.logits ? plan.logits.data : plan.pred.data;
    this.lossImpl.grad(plan.pred.data, logits, y.data, into, plan.batch, plan.pred.size);
    const steps = plan.steps;
    for (let i = steps.length - 1; i >= 0; i--) {
      const step = steps[i]!;
      step.op.backward(step, plan.batch);
    }
    return this.result;
  }

  predict(x: Tensor): Tensor {
    return this.forward(x).predTensor;
  }

  loss(x: Tensor, y: Tensor): number {
    return this.lossValue(this.forward(x), y);
  }

  activations(): Map<string, Tensor> {
    return this.last ? this.last.activations : new Map();
  }

  outputGrads(): Map<string, Tensor> {
    return this.last ? this.last.outputGrads : new Map();
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
        return report(
          this.lossNodeId,
          'loss',
          `${nodeLabel(node(this.lossNodeId))} is ${this.lastLoss} (log of 0? check the targets and the loss function)`,
        );
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
