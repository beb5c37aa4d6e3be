// Live training state for the UI, separate from the document store.
import { create } from 'zustand';
import type { EpochMetrics, NonFiniteReport, Task } from '../../engine/index.ts';
import type { NodeStats, OutputView, Progress } from './protocol.ts';

export type TrainingStatus = 'idle' | 'loading' | 'ready' | 'running' | 'paused' | 'done' | 'error' | 'nonFinite';

export interface TrainingState {
  status: TrainingStatus;
  task: Task | null;
  kernels: string;
  progress: Progress | null;
  initialLoss: number | null;
  /** Chart samples: fractional epoch and training loss, ~20 per second. */
  lossX: number[];
  lossY: number[];
  history: EpochMetrics[];
  nodes: Record<string, NodeStats>;
  /** Gradient norms over time per node, newest last (sparklines). */
  gradTrail: Record<string, number[]>;
  output: OutputView | null;
  confusion: Int32Array | null;
  error: { message: string; nodeId?: string } | null;
  nonFinite: NonFiniteReport | null;
  view: 'activations' | 'gradients';
}

export const initialTraining = (): TrainingState => ({
  status: 'idle',
  task: null,
  kernels: '',
  progress: null,
  initialLoss: null,
  lossX: [],
  lossY: [],
  history: [],
  nodes: {},
  gradTrail: {},
  output: null,
  confusion: null,
  error: null,
  nonFinite: null,
  view: 'gradients',
});

export const useTraining = create<TrainingState>(() => initialTraining());

const TRAIL = 60;

/** Appends node statistics, keeping a bounded gradient-norm trail per node. */
export function addStats(nodes: NodeStats[]): void {
  useTraining.setState((s) => {
    const byId: Record<string, NodeStats> = {};
    const gradTrail = { ...s.gradTrail };
    for (const n of nodes) {
      byId[n.id] = n.weights || !s.nodes[n.id]?.weights ? n : { ...n, weights: s.nodes[n.id]!.weights! };
      if (n.gradNorm !== null) gradTrail[n.id] = [...(gradTrail[n.id] ?? []).slice(-(TRAIL - 1)), n.gradNorm];
    }
    return { nodes: byId, gradTrail };
  });
}
