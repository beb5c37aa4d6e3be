// Edges follow the gradient (or activation) magnitude leaving their source node.
import type { CSSProperties } from 'react';
import { useMemo } from 'react';
import type { GraphEdge } from '../../engine/index.ts';
import { useEditor, useTraining } from '../appContext.tsx';
import { shownNodes } from '../editor/trainingState.ts';
import { edgeLook } from './edgeStyle.ts';

export interface EdgeLook {
  style: CSSProperties;
  animated?: boolean;
}

/** A function styling each edge by the live statistics; null styles (the default look) before training. */
export function useEdgeLook(): (edge: GraphEdge) => EdgeLook | null {
  const nodes = useTraining(shownNodes);
  const view = useEditor((s) => s.edgeView);
  return useMemo(() => {
    if (nodes.size === 0) return () => null;
    return (edge: GraphEdge) => {
      if (edge.sourceHandle === 'y') return null;
      const s = nodes.get(edge.source);
      if (view === 'activations') return s ? edgeLook(Math.hypot(s.mean, s.std)) : null;
      // The input has no gradient of its own: show what reaches its consumer's output.
      const g = s?.gradRms ?? nodes.get(edge.target)?.gradRms ?? null;
      return edgeLook(g);
    };
  }, [nodes, view]);
}
