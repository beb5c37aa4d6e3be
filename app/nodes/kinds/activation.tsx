import { useT } from '../../appContext.tsx';
import type { NodeBodyProps } from '../types.ts';
import { activationPath } from './glyph.ts';

export const type = 'activation';

export function Body({ data }: NodeBodyProps) {
  const t = useT();
  const fn = data.node.type === 'activation' ? data.node.data.fn : 'identity';
  return (
    <>
      <div className="ng-main ng-row">
        <svg width="48" height="28" className="ng-glyph" aria-label={t('node.activation.curve', { fn })}>
          <line x1="0" y1="14" x2="48" y2="14" className="ng-axis" />
          <line x1="24" y1="0" x2="24" y2="28" className="ng-axis" />
          <path d={activationPath(fn)} />
        </svg>
        <span>{fn}</span>
      </div>
      {data.info?.fusedIntoLoss && <div className="ng-sub">{t('node.activation.fused')}</div>}
    </>
  );
}
