// The part of the graph the canvas shows, in graph units: new nodes are placed inside it.
import type { ReactFlowInstance } from '@xyflow/react';
import type { NodeType } from '../../engine/index.ts';
import type { Placement } from '../editor/commands.ts';
import { nodeBox } from '../nodes/nodeTypes.tsx';

/** Margin (screen px) kept free at the canvas' edges: its tool bar on top, the zoom buttons on the right. */
const EDGE = { top: 44, right: 56, bottom: 12, left: 12 } as const;

/** The visible canvas in graph units, less the margins its own controls cover; null before it is laid out. */
export function visibleArea(flow: Pick<ReactFlowInstance, 'screenToFlowPosition'>): Placement['within'] | null {
  const box = document.querySelector('.ng-canvas .react-flow')?.getBoundingClientRect();
  if (!box || box.width === 0) return null;
  const a = flow.screenToFlowPosition({ x: box.left + EDGE.left, y: box.top + EDGE.top });
  const b = flow.screenToFlowPosition({ x: box.right - EDGE.right, y: box.bottom - EDGE.bottom });
  return { x: a.x, y: a.y, width: Math.max(0, b.x - a.x), height: Math.max(0, b.y - a.y) };
}

/** Where a node of `type` centred on `centre` (graph units) is placed: on screen, with its real box. */
export function placementAt(
  flow: Pick<ReactFlowInstance, 'screenToFlowPosition'>,
  type: NodeType,
  centre: { x: number; y: number },
): { position: { x: number; y: number }; placement?: Placement } {
  const size = nodeBox(type);
  const position = { x: centre.x - size.width / 2, y: centre.y - size.height / 2 };
  const within = visibleArea(flow);
  return within ? { position, placement: { within, size } } : { position };
}
