// Edges follow the gradient (or activation) magnitude leaving their source node.
import type { GraphEdge } from '../../engine/index.ts';
import { useEditor, useTraining } from '../appContext.tsx';
import { shownNodes } from '../editor/trainingViews.ts';
import { flowLevel } from './edgeStyle.ts';

/**
 * The level (see flowLevel) one edge shows from the live statistics; null (the default look) before
 * training. NOTE: each drawn edge reads its own level, so new statistics redraw only the edges in view
 * whose level changed, and React Flow's edge list (5,000 edges in a long chain) stays as it is.
 */
export function useFlowLevel(edge: Pick<GraphEdge, 'source' | 'target' | 'sourceHandle'>): number | null {
  const view = useEditor((s) => s.edgeView);
  return useTraining((state) => {
    const nodes = shownNodes(state);
    if (nodes.size === 0 || edge.sourceHandle === 'y') return null;
    const s = nodes.get(edge.source);
    if (view === 'activations') return s ? flowLevel(Math.hypot(s.mean, s.std)) : null;
    // The input has no gradient of its own: show what reaches its consumer's output.
    return flowLevel(s?.gradRms ?? nodes.get(edge.target)?.gradRms ?? null);
  });
}
