import { useT } from '../../appContext.tsx';
import type { NodeBodyProps } from '../types.ts';
import { activationPath } from './glyph.ts';

export const type = 'activation';
export const box = { width: 204, height: 160 };

export function Body({ data }: NodeBodyProps) {
  const t = useT();
  const fn = data.node.type === 'activation' ? data.node.data.fn : 'identity';
  return (
    <>
      <div className="ng-main ng-row">
        <svg width="48" height="28" className="ng-glyph" aria-label={t('node.activation.curve', { fn })}>
          {/* NOTE: presentation attributes, not CSS: the PNG/SVG export draws SVG from them. */}
          <line x1="0" y1="14" x2="48" y2="14" stroke="#ddd" strokeWidth={1} />
          <line x1="24" y1="0" x2="24" y2="28" stroke="#ddd" strokeWidth={1} />
          <path d={activationPath(fn)} fill="none" stroke="#a05a2c" strokeWidth={2} />
        </svg>
        <span>{fn}</span>
      </div>
      {data.info?.fusedIntoLoss && <div className="ng-sub">{t('node.activation.fused')}</div>}
    </>
  );
}
