// The body of Max- and AvgPool2D nodes: "max of 2×2, stride 2" and the output shape.
import { useT } from '../appContext.tsx';
import { batchShape } from './NodeFrame.tsx';
import { windowText } from './kinds/window.ts';
import type { NodeBodyProps } from './types.ts';

export function PoolBody({ data }: NodeBodyProps) {
  const t = useT();
  const node = data.node;
  if (node.type !== 'maxpool2d' && node.type !== 'avgpool2d') return null;
  const size = node.data.size ?? 2;
  const text = { size: windowText(size), stride: windowText(node.data.stride ?? size, true) };
  return (
    <>
      <div className="ng-main">
        {node.type === 'maxpool2d' ? t('node.maxpool2d.window', text) : t('node.avgpool2d.window', text)}
      </div>
      <div className="ng-sub">{batchShape(data.info?.outputShape)}</div>
    </>
  );
}
