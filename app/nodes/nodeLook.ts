// How node types look in the app: colours by category (the node definitions say the category).
import type { NodeCategory } from '../../engine/index.ts';

export const CATEGORY_COLOURS: Readonly<Record<NodeCategory, string>> = {
  data: '#2f7d5b',
  layer: '#3b64b5',
  activation: '#a05a2c',
  merge: '#6d5bb0',
  regularization: '#5b7f8f',
  loss: '#b0413e',
};
