// The part of the graph the canvas shows, in graph units: new nodes are placed inside it.
import type { ReactFlowInstance } from '@xyflow/react';
import type { NodeType } from '../../engine/index.ts';
import type { Placement } from '../editor/commands.ts';
import { READABLE_FIT, READABLE_ZOOM } from '../nodes/nodeLook.ts';
import { nodeBox } from '../nodes/nodeTypes.tsx';

/** Margin (screen px) kept free at the canvas' edges (its tool bar on top). */
const EDGE = { top: 44, right: 12, bottom: 12, left: 12 } as const;

/** The canvas element's box on the page, or null before it is laid out. */
function canvasBox(): DOMRect | null {
  const box = document.querySelector('.ng-canvas .react-flow')?.getBoundingClientRect();
  return box && box.width > 0 ? box : null;
}

/**
 * The margins (screen px) of `box`: EDGE, and on the right the width the zoom buttons take (they float
 * over the bottom-right corner; a fitted graph at 12 px from the edge ran under them).
 */
function margins(box: DOMRect): { top: number; right: number; bottom: number; left: number } {
  const controls = document.querySelector('.ng-canvas .react-flow__controls')?.getBoundingClientRect();
  const right =
    controls && controls.width > 0 ? Math.max(EDGE.right, box.right - controls.left + EDGE.right) : EDGE.right;
  return { ...EDGE, right };
}

/** The room for nodes on the canvas in screen px (less the margins): what a layout is fitted into. */
export function canvasRoom(): { width: number; height: number } | null {
  const box = canvasBox();
  if (!box) return null;
  const edge = margins(box);
  return { width: box.width - edge.left - edge.right, height: box.height - edge.top - edge.bottom };
}

/**
 * Shows the whole graph as large as fits, never below READABLE_ZOOM (node text ≥ 11 px) nor above
 * READABLE_FIT.maxZoom: centred when it fits, else from its top-left corner (where the Input is), the
 * rest a scroll away. An empty graph opens at zoom 1.
 */
export function fitReadable(
  flow: Pick<ReactFlowInstance, 'getNodes' | 'getNodesBounds' | 'setViewport'>,
  duration = 300,
): void {
  const room = canvasRoom();
  if (!room) return;
  const nodes = flow.getNodes();
  if (nodes.length === 0) {
    void flow.setViewport({ x: EDGE.left + 24, y: EDGE.top + 24, zoom: 1 }, { duration });
    return;
  }
  const b = flow.getNodesBounds(nodes);
  const zoom = Math.min(
    READABLE_FIT.maxZoom,
    Math.max(READABLE_ZOOM, Math.min(room.width / b.width, room.height / b.height)),
  );
  const free = { x: room.width - b.width * zoom, y: room.height - b.height * zoom };
  const x = EDGE.left + Math.max(0, free.x / 2) - b.x * zoom;
  const y = EDGE.top + Math.max(0, free.y / 2) - b.y * zoom;
  void flow.setViewport({ x, y, zoom }, { duration });
}

/** The visible canvas in graph units, less the margins its own controls cover; null before it is laid out. */
export function visibleArea(flow: Pick<ReactFlowInstance, 'screenToFlowPosition'>): Placement['within'] | null {
  const box = canvasBox();
  if (!box) return null;
  const edge = margins(box);
  const a = flow.screenToFlowPosition({ x: box.left + edge.left, y: box.top + edge.top });
  const b = flow.screenToFlowPosition({ x: box.right - edge.right, y: box.bottom - edge.bottom });
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
