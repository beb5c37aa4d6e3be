import { batchShape } from '../NodeFrame.tsx';
import type { NodeBodyProps } from '../types.ts';

export const type = 'add';

export function Body({ data }: NodeBodyProps) {
  return (
    <>
      <div className="ng-main">a + b</div>
      <div className="ng-sub">{batchShape(data.info?.outputShape)}</div>
    </>
  );
}
