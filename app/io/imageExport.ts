// PNG / SVG pictures of the whole graph (not just the visible part) through html-to-image, the way
// React Flow's own "download image" example does it: render the viewport element with a transform
// that frames every node.
import { getNodesBounds, getViewportForBounds, type Node } from '@xyflow/react';
import { saveAs } from 'file-saver';
import { toPng, toSvg } from 'html-to-image';
import { fileNameFor } from './files.ts';

/** Margin around the nodes, in graph units. */
const PADDING = 24;
/** PNGs are drawn at twice the graph's size, sharp on high-density screens and in slides. */
const PNG_PIXEL_RATIO = 2;
/** The longest side of a picture, in graph units (a huge graph is scaled down to fit). */
const MAX_SIDE = 4000;

export type ImageFormat = 'png' | 'svg';

/**
 * Graphs with more nodes than this mount only the nodes and edges in view (React Flow's
 * onlyRenderVisibleElements): with every one of 5,000 nodes mounted, each training update re-rendered
 * and redrew them all and the page stopped answering for seconds.
 */
export const LARGE_GRAPH_NODES = 300;
/** Canvas listens for it (detail: true / false): mount every node while a picture is taken. */
export const RENDER_EVERY_NODE = 'nodegrad:render-every-node';

/** Runs `take` with every node of a large graph mounted (a picture needs them all), then goes back. */
async function withEveryNode<T>(root: HTMLElement, count: number, take: () => Promise<T>): Promise<T> {
  if (count <= LARGE_GRAPH_NODES) return take();
  dispatchEvent(new CustomEvent(RENDER_EVERY_NODE, { detail: true }));
  try {
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    // NOTE: mounting thousands of nodes takes seconds; wait for them (at most 60 s) before the picture.
    for (let i = 0; i < 3600 && root.querySelectorAll('.react-flow__node').length < count; i++) await frame();
    await frame();
    return await take();
  } finally {
    dispatchEvent(new CustomEvent(RENDER_EVERY_NODE, { detail: false }));
  }
}

/** Renders every node and edge; resolves to a data URL. `root` holds React Flow's `.react-flow__viewport`. */
export async function graphImage(root: HTMLElement, nodes: Node[], format: ImageFormat): Promise<string> {
  const viewportEl = root.querySelector<HTMLElement>('.react-flow__viewport');
  if (!viewportEl) throw new Error('the canvas is not on screen');
  const bounds = getNodesBounds(nodes);
  const scale = Math.min(1, MAX_SIDE / Math.max(bounds.width + 2 * PADDING, bounds.height + 2 * PADDING, 1));
  const width = Math.ceil((bounds.width + 2 * PADDING) * scale);
  const height = Math.ceil((bounds.height + 2 * PADDING) * scale);
  const view = getViewportForBounds(bounds, width, height, scale, scale, 0);
  const background = getComputedStyle(root).getPropertyValue('--bg').trim() || '#ffffff';
  const options = {
    backgroundColor: background,
    width,
    height,
    pixelRatio: format === 'png' ? PNG_PIXEL_RATIO : 1,
    style: {
      width: `${width}px`,
      height: `${height}px`,
      transform: `translate(${view.x}px, ${view.y}px) scale(${view.zoom})`,
    },
  };
  return format === 'png' ? toPng(viewportEl, options) : toSvg(viewportEl, options);
}

/** Downloads the picture as "<name>.png" / "<name>.svg". */
export async function downloadGraphImage(
  root: HTMLElement,
  nodes: Node[],
  format: ImageFormat,
  name: string,
): Promise<string> {
  const url = await withEveryNode(root, nodes.length, () => graphImage(root, nodes, format));
  const file = fileNameFor(name, format);
  saveAs(await (await fetch(url)).blob(), file);
  return file;
}
