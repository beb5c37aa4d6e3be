// Feature maps: what each image-shaped node (a convolution, a pooling, BatchNorm, a Reshape into an
// image) outputs for one test sample, channel by channel. Computed on the test images the output
// view shows (the same rows, one forward pass), so a learner picks the sample by clicking its image.
import { type NodeType, nodeDefinition, type Trainer } from '../../engine/index.ts';
import { SHOWN_TEST_IMAGES } from './outputView.ts';
import type { FeatureMaps, NodeMaps } from './protocol.ts';

/** At most this many channels of a node travel (a wide layer shows its first ones and says how many more). */
export const MAX_MAP_CHANNELS = 32;
/** At most this many values per node (a 64×64 map × 8 channels); fewer channels when maps are larger. */
export const MAX_MAP_VALUES = 32_768;

/** Whether a node's output is shown as feature maps: its definition says so and it is a per-sample [H, W, C]. */
export const hasMaps = (type: NodeType, shape: readonly number[] | undefined): boolean =>
  nodeDefinition(type).featureMaps === true && shape?.length === 3;

/**
 * The maps of every such node for test sample `sample` (clamped to the images shown), with the model's
 * current weights, in inference mode (BatchNorm with its running statistics); null when no node has any.
 */
export function featureMaps(trainer: Trainer, sample: number): FeatureMaps | null {
  const model = trainer.model;
  const nodes = model.info.nodes.filter((n) => hasMaps(n.type, n.outputShape));
  const test = trainer.dataset.test;
  const total = test.x.shape[0] as number;
  if (nodes.length === 0 || total === 0) return null;
  const rows = Math.min(SHOWN_TEST_IMAGES, total);
  const s = Math.max(0, Math.min(rows - 1, Math.floor(sample)));
  const inSize = trainer.info.inputSize;
  model.predict({ shape: [rows, ...trainer.dataset.inputShape], data: test.x.data.subarray(0, rows * inSize) });
  const acts = model.activations();
  const out: NodeMaps[] = [];
  for (const n of nodes) {
    const a = acts.get(n.id);
    if (!a) continue;
    const [height, width, total] = n.outputShape as [number, number, number];
    const area = height * width;
    const channels = Math.max(1, Math.min(total, MAX_MAP_CHANNELS, Math.floor(MAX_MAP_VALUES / area)));
    const data = new Float32Array(channels * area);
    const base = s * area * total;
    // NOTE: channels last in the engine, one plane per channel here (each drawn as one small image).
    for (let p = 0; p < area; p++)
      for (let c = 0; c < channels; c++) data[c * area + p] = a.data[base + p * total + c] as number;
    out.push({ id: n.id, height, width, channels, total, data });
  }
  return { sample: s, nodes: out };
}
