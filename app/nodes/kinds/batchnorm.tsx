import { batchShape } from '../NodeFrame.tsx';
import { MAPS_NODE_BOX } from '../nodeLook.ts';
import type { NodeBodyProps } from '../types.ts';

export const type = 'batchnorm';
export const box = MAPS_NODE_BOX;

export function Body({ data }: NodeBodyProps) {
  return <div className="ng-sub">{batchShape(data.info?.outputShape)}</div>;
}
