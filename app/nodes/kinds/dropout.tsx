import { useT } from '../../appContext.tsx';
import type { NodeBodyProps } from '../types.ts';

export const type = 'dropout';

export function Body({ data }: NodeBodyProps) {
  const t = useT();
  const rate = data.node.type === 'dropout' ? (data.node.data.rate ?? 0.5) : 0;
  return (
    <>
      <div className="ng-main">{t('node.dropout.rate', { pct: Math.round(rate * 100) })}</div>
      <div className="ng-sub">{t('node.dropout.note')}</div>
    </>
  );
}
