// Bounds on one training step, checked at analysis time: the parameter cap alone does not bound
// work (a 20k-parameter network with 5000 units and a batch of 100,000 needs 8 GB per step).
import type { StepCost } from './types.ts';
import type { NodeType } from '../format/types.ts';
import type { ProblemParams } from '../problems.ts';

/**
 * Most bytes one training step may hold in node outputs, their gradients, scratch and the batch
 * itself. NOTE: the measured peak of a training process is about twice this estimate: the
 * WebAssembly kernels copy the largest product into their own memory and evaluation runs a second,
 * smaller plan; parameters and optimizer state come on top (up to 1 GB at the 50M-parameter cap
 * with Adam). 500 MB keeps a browser worker within 1–2 GB, which a tab on an 8 GB machine survives;
 * a batch that needs more teaches nothing a smaller one does not.
 */
export const MAX_ACTIVATION_BYTES = 500_000_000;

/**
 * Most multiply-adds one training step may take (forward and backward, estimated). NOTE: the
 * WebAssembly SIMD kernels run ≈ 15 billion a second on one core of a 2024 laptop-class CPU, so a
 * step stays within a few seconds (≈ 10 s on a slow machine) and the app stays responsive.
 */
export const MAX_STEP_MULTIPLY_ADDS = 50_000_000_000;

/** What one node costs per sample of a batch. */
export interface NodeCost {
  id: string;
  type: NodeType;
  /** Floats held per sample: output, its gradient, scratch (for the input: the x and y rows). */
  floats: number;
  /** Multiply-adds per sample, forward and backward. */
  multiplyAdds: number;
}

/**
 * Estimated cost of a node per sample. NOTE: every parameter is used once per sample in the forward
 * pass and twice in the backward one (Dense: in·W, inᵀ·dy and dy·Wᵀ); every output element costs
 * about as much again for its element-wise work.
 */
export function nodeCost(
  id: string,
  type: NodeType,
  outputSize: number,
  scratch: number,
  paramCount: number,
  /** The node definition's own count, when its parameters are used more than once per sample. */
  multiplyAdds = 3 * (paramCount + outputSize),
): NodeCost {
  return { id, type, floats: 2 * outputSize + scratch, multiplyAdds };
}

const MB = 1e6;

export interface BudgetProblem {
  code: string;
  params: ProblemParams;
  nodeId: string;
}

/** The step's cost and a problem for each bound it exceeds, naming the costliest node. */
export function stepCost(costs: readonly NodeCost[], batch: number): { step: StepCost; problems: BudgetProblem[] } {
  let floats = 0;
  let multiplyAdds = 0;
  for (const c of costs) {
    floats += c.floats;
    multiplyAdds += c.multiplyAdds;
  }
  const step: StepCost = { batch, bytesPerSample: 4 * floats, multiplyAddsPerSample: multiplyAdds };
  const problems: BudgetProblem[] = [];
  const biggest = (key: 'floats' | 'multiplyAdds') => costs.reduce((a, b) => (b[key] > a[key] ? b : a));
  if (costs.length > 0 && batch * step.bytesPerSample > MAX_ACTIVATION_BYTES) {
    const node = biggest('floats');
    problems.push({
      code: 'graph.activation-memory',
      params: {
        mb: Math.ceil((batch * step.bytesPerSample) / MB),
        limitMb: MAX_ACTIVATION_BYTES / MB,
        batch,
        node: node.id,
        nodeType: node.type,
        nodeMb: Math.ceil((batch * 4 * node.floats) / MB),
        maxBatch: Math.floor(MAX_ACTIVATION_BYTES / step.bytesPerSample),
      },
      nodeId: node.id,
    });
  }
  if (costs.length > 0 && batch * multiplyAdds > MAX_STEP_MULTIPLY_ADDS) {
    const node = biggest('multiplyAdds');
    problems.push({
      code: 'graph.step-work',
      params: {
        work: batch * multiplyAdds,
        limit: MAX_STEP_MULTIPLY_ADDS,
        batch,
        node: node.id,
        nodeType: node.type,
        nodeWork: batch * node.multiplyAdds,
        maxBatch: Math.floor(MAX_STEP_MULTIPLY_ADDS / multiplyAdds),
      },
      nodeId: node.id,
    });
  }
  return { step, problems };
}
