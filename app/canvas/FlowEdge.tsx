// The canvas' edge: React Flow's bezier edge, thickened and coloured by the gradient (or activation)
// magnitude it carries while training (app/train/edgeFlow.ts). A long edge's shape label moves along
// its curve off nodes and other labels (edgeLabels.ts).
import {
  BaseEdge,
  BezierEdge,
  type Edge,
  type EdgeProps,
  getBezierPath,
  type InternalNode,
  type ReactFlowState,
  useStore,
} from '@xyflow/react';
import { memo, useCallback, useMemo } from 'react';
import { useFlowLevel } from '../train/edgeFlow.ts';
import { levelStyle } from '../train/edgeStyle.ts';
import { isNeighbourHop, type LabelEdge, type Point, placeEdgeLabels, type Rect } from './edgeLabels.ts';

/** A label's size in flow units from its text (12 px digits and brackets, padded). */
const labelSize = (label: unknown) => ({ w: String(label ?? '').length * 7 + 8, h: 18 });

function handleEnd(node: InternalNode | undefined, id: string | null | undefined, kind: 'source' | 'target') {
  const list = node?.internals.handleBounds?.[kind];
  const handle = list?.find((h) => h.id === id) ?? list?.[0];
  if (!node || !handle) return null;
  const p = node.internals.positionAbsolute;
  return { x: p.x + handle.x + (kind === 'source' ? handle.width : 0), y: p.y + handle.y + handle.height / 2 };
}

function labelEdgeOf(s: ReactFlowState, e: Edge): LabelEdge | null {
  const a = handleEnd(s.nodeLookup.get(e.source), e.sourceHandle, 'source');
  const b = handleEnd(s.nodeLookup.get(e.target), e.targetHandle, 'target');
  return a && b && e.label ? { id: e.id, sx: a.x, sy: a.y, tx: b.x, ty: b.y, ...labelSize(e.label) } : null;
}

// NOTE: a memo per store state, not app state: every long edge of one render reads the same placement.
const placements = new WeakMap<ReactFlowState, Map<string, Point>>();
function placementOf(s: ReactFlowState): Map<string, Point> {
  let spots = placements.get(s);
  if (!spots) {
    const edges = s.edges.flatMap((e) => labelEdgeOf(s, e) ?? []);
    const nodes: Rect[] = [...s.nodeLookup.values()].map((n) => ({
      x: n.internals.positionAbsolute.x,
      y: n.internals.positionAbsolute.y,
      w: n.measured.width ?? 0,
      h: n.measured.height ?? 0,
    }));
    spots = placeEdgeLabels(edges, nodes);
    placements.set(s, spots);
  }
  return spots;
}

const samePoint = (a: Point | null, b: Point | null) => a === b || (!!a && !!b && a.x === b.x && a.y === b.y);

export const FlowEdge = memo(function FlowEdge(props: EdgeProps) {
  const level = useFlowLevel({ source: props.source, target: props.target, sourceHandle: props.sourceHandleId ?? '' });
  const style = useMemo(
    () => (level === null ? props.style : { ...props.style, ...levelStyle(level) }),
    [level, props.style],
  );
  const { id, sourceX, sourceY, targetX, targetY, label } = props;
  const long =
    label !== undefined &&
    !isNeighbourHop({ id, sx: sourceX, sy: sourceY, tx: targetX, ty: targetY, ...labelSize(label) });
  const spot = useStore(
    useCallback((s: ReactFlowState) => (long ? (placementOf(s).get(id) ?? null) : null), [long, id]),
    samePoint,
  );
  if (!spot) return <BezierEdge {...props} style={style} />;
  const [path] = getBezierPath(props);
  return (
    <BaseEdge
      id={id}
      path={path}
      style={style}
      label={label}
      labelX={spot.x}
      labelY={spot.y}
      labelStyle={props.labelStyle}
      labelShowBg={props.labelShowBg}
      labelBgStyle={props.labelBgStyle}
      labelBgPadding={props.labelBgPadding}
      labelBgBorderRadius={props.labelBgBorderRadius}
      markerStart={props.markerStart}
      markerEnd={props.markerEnd}
      interactionWidth={props.interactionWidth}
    />
  );
});
