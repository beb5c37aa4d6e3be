// How node types look in the app: colours by category (the node definitions say the category).
import type { NodeCategory } from '../../engine/index.ts';

export const CATEGORY_COLOURS: Readonly<Record<NodeCategory, string>> = {
  data: '#2f7d5b',
  layer: '#3b64b5',
  convolution: '#2b7a8c',
  activation: '#a05a2c',
  merge: '#6d5bb0',
  regularization: '#5b7f8f',
  loss: '#b0413e',
};

/** Text sizes inside nodes, in CSS px (the stylesheet reads them as variables set on the canvas). */
export const NODE_FONT_PX = { title: 13, body: 12, small: 12 } as const;
/** The smallest on-screen text size a node may show (computed size × zoom). */
export const MIN_SCREEN_FONT_PX = 11;
/** The canvas never opens an example below this zoom: it scrolls rather than shrinking text below 11 px. */
export const READABLE_ZOOM = MIN_SCREEN_FONT_PX / Math.min(...Object.values(NODE_FONT_PX));
/** No node grows beyond this box (CSS px at zoom 1), whatever its weights' shape. */
export const NODE_MAX = { width: 240, height: 220 } as const;
/**
 * A node's box (CSS px at zoom 1) when its kind (app/nodes/kinds/<type>.tsx) does not give one. Boxes
 * are fixed: what training adds grows inside them, so a node never grows over its neighbour.
 */
export const DEFAULT_NODE_BOX = { width: 204, height: 150 } as const;
export type NodeBox = { readonly width: number; readonly height: number };
/** The box a weight heatmap is fitted into (inside NODE_MAX). */
export const HEATMAP_BOX = { width: 140, height: 72, maxCell: 20 } as const;
/** The box of a node that shows feature maps (Conv2D, the pools, BatchNorm, Reshape into an image). */
export const MAPS_NODE_BOX = { width: 204, height: 220 } as const;
/** Inside it: the grid of feature maps (one small image per channel) and a Conv2D's filters. */
export const MAPS_BOX = { width: 120, height: 40 } as const;
export const FILTERS_BOX = { width: 120, height: 16 } as const;

/** CSS variables for the canvas element, so the stylesheet and these numbers never disagree. */
export const nodeCssVars = {
  '--node-title': `${NODE_FONT_PX.title}px`,
  '--node-body': `${NODE_FONT_PX.body}px`,
  '--node-small': `${NODE_FONT_PX.small}px`,
  '--node-max-width': `${NODE_MAX.width}px`,
  '--node-max-height': `${NODE_MAX.height}px`,
} as Readonly<Record<string, string>>;

/** fitView options used whenever a graph opens: readable first, then as much of the graph as fits. */
export const READABLE_FIT = { minZoom: READABLE_ZOOM, maxZoom: 1.1, padding: 0.04 } as const;
