// What the canvas highlights during a step-through: the current node, and the edges its values
// arrive on (forward) or its gradients leave by (backward).
import { useMemo } from 'react';
import { useEditor, useTraining } from '../appContext.tsx';

export interface TraceFocus {
  nodeId: string;
  phase: 'forward' | 'backward';
  edges: ReadonlySet<string>;
}

export function useTraceFocus(): TraceFocus | null {
  const step = useTraining((s) => (s.trace && s.trace !== 'loading' ? (s.trace.steps[s.trace.index] ?? null) : null));
  const edges = useEditor((s) => s.doc.edges);
  return useMemo(() => {
    if (!step) return null;
    const wires =
      step.phase === 'forward'
        ? step.inputs.map((i) => [i.from, i.port] as const)
        : step.gradIn.map((g) => [g.to, g.port] as const);
    const ids = new Set(
      edges
        .filter(
          (e) => e.target === step.nodeId && wires.some(([from, port]) => from === e.source && port === e.targetHandle),
        )
        .map((e) => e.id),
    );
    return { nodeId: step.nodeId, phase: step.phase, edges: ids };
  }, [step, edges]);
}
