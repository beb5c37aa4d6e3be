import { useEditor, useT } from '../../appContext.tsx';
import type { NodeBodyProps } from '../types.ts';

export const type = 'dense';
export const box = { width: 204, height: 220 };

export function Body({ data }: NodeBodyProps) {
  const t = useT();
  const lang = useEditor((s) => s.lang);
  const d = data.node.type === 'dense' ? data.node.data : { units: 0, init: undefined };
  const locale = lang === 'ja' ? 'ja-JP' : 'en-US';
  return (
    <>
      <div className="ng-main">{t(d.units === 1 ? 'node.dense.unit' : 'node.dense.units', { n: d.units })}</div>
      <div className="ng-sub">
        {d.init ?? 'glorot_uniform'} ·{' '}
        {t('node.params', { n: data.info ? data.info.paramCount.toLocaleString(locale) : '?' })}
      </div>
    </>
  );
}
