import { batchShape } from '../NodeFrame.tsx';
import type { NodeBodyProps } from '../types.ts';

export const type = 'flatten';

/** "[B, 28, 28] → [B, 784]": what flattening does to the shape. */
export function Body({ data }: NodeBodyProps) {
  const out = data.info?.outputShape;
  return <div className="ng-main">→ {batchShape(out)}</div>;
}
