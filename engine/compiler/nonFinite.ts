// Where a NaN or an infinity first shows up in a model after a step: its input, a node's output,
// the loss (or its targets), a gradient on the way back, or a parameter. The trainer asks when a
// loss or a gradient is not finite, to stop with a message that names the node.
import type { NonFiniteReport } from './types.ts';
import type { LossFn } from '../format/types.ts';
import { nodeLabel } from '../nodes/index.ts';
import type { Param } from '../ops/types.ts';
import type { Structure } from './analyze.ts';
import type { Plan } from './plan.ts';

/** What the search looks at: the last plan run (null before any), its loss and targets, the parameters. */
export interface NonFiniteScene {
  structure: Structure;
  plan: Plan | null;
  lossFn: LossFn;
  loss: number;
  targets: Float32Array | null;
  params: readonly Param[];
}

/** The first non-finite value in the order a step computes them, or null. */
export function findNonFinite({
  structure,
  plan,
  lossFn,
  loss,
  targets,
  params,
}: NonFiniteScene): NonFiniteReport | null {
  const node = (id: string) => structure.nodes.get(id)!;
  const inputNodeId = structure.input!.id;
  const lossNodeId = structure.loss!.id;
  if (plan) {
    const bad = firstNonFinite(plan.input.data, plan.batch * plan.input.size);
    if (bad) return report(inputNodeId, 'output', `${nodeLabel(node(inputNodeId))}'s data holds ${bad}`);
    for (const step of plan.steps) {
      const b = firstNonFinite(step.output.data, plan.batch * step.output.size);
      if (b) return report(step.nodeId, 'output', `${step.label} output holds ${b}`);
    }
    if (!Number.isFinite(loss)) {
      const lossLabel = nodeLabel(node(lossNodeId));
      const badTargets = targets && firstNonFinite(targets, plan.batch * plan.pred.size);
      if (badTargets)
        return report(lossNodeId, 'loss', `the targets fed to ${lossLabel} hold ${badTargets}: check the dataset`);
      const hint = lossFn.includes('cross_entropy')
        ? 'log of 0? check the targets and the loss function'
        : 'it overflowed: lower the learning rate or scale the targets';
      return report(lossNodeId, 'loss', `${lossLabel} is ${loss} (${hint})`);
    }
    for (let i = plan.steps.length - 1; i >= 0; i--) {
      const step = plan.steps[i]!;
      const b = step.fused ? null : firstNonFinite(step.output.grad!, plan.batch * step.output.size);
      if (b) return report(step.nodeId, 'gradient', `the gradient at ${step.label}'s output holds ${b}`);
    }
  }
  for (const p of params) {
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
