import { batchShape } from '../NodeFrame.tsx';
import { MAPS_NODE_BOX } from '../nodeLook.ts';
import type { NodeBodyProps } from '../types.ts';

export const type = 'reshape';
export const box = MAPS_NODE_BOX;

/** "→ [B, 28, 28, 1]": the shape the values take. */
export function Body({ data }: NodeBodyProps) {
  return <div className="ng-main">→ {batchShape(data.info?.outputShape)}</div>;
}
