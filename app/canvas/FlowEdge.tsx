// The canvas' edge: React Flow's bezier edge, thickened and coloured by the gradient (or activation)
// magnitude it carries while training (app/train/edgeFlow.ts).
import { BezierEdge, type EdgeProps } from '@xyflow/react';
import { memo, useMemo } from 'react';
import { useFlowLevel } from '../train/edgeFlow.ts';
import { levelStyle } from '../train/edgeStyle.ts';

export const FlowEdge = memo(function FlowEdge(props: EdgeProps) {
  const level = useFlowLevel({ source: props.source, target: props.target, sourceHandle: props.sourceHandleId ?? '' });
  const style = useMemo(
    () => (level === null ? props.style : { ...props.style, ...levelStyle(level) }),
    [level, props.style],
  );
  return <BezierEdge {...props} style={style} />;
});
