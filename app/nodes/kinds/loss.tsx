import type { NodeBodyProps } from '../types.ts';

export const type = 'loss';
export const box = { width: 176, height: 110 };

export function Body({ data }: NodeBodyProps) {
  return <div className="ng-main">{data.node.type === 'loss' ? data.node.data.fn : ''}</div>;
}
