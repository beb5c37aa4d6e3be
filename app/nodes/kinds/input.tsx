import { useT } from '../../appContext.tsx';
import { batchShape } from '../NodeFrame.tsx';
import type { NodeBodyProps } from '../types.ts';

export const type = 'input';
export const box = { width: 170, height: 120 };

export function Body({ data }: NodeBodyProps) {
  const t = useT();
  const node = data.node;
  const d = node.type === 'input' ? node.data.dataset : undefined;
  const label = !d
    ? t('node.input.none')
    : d.kind === 'function'
      ? `f(x) = ${d.expr}`
      : d.kind === 'mnist'
        ? d.binaryDigit === undefined
          ? `MNIST ${d.train}/${d.test}`
          : t('node.input.mnistBinary', { digit: d.binaryDigit })
        : d.kind;
  return (
    <>
      <div className="ng-main">{label}</div>
      <div className="ng-sub">
        x {batchShape(data.inputShape)} · y {batchShape(data.targetShape)}
      </div>
    </>
  );
}
