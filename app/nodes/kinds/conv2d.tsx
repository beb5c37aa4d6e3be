import { useEditor, useT } from '../../appContext.tsx';
import { MAPS_NODE_BOX } from '../nodeLook.ts';
import type { NodeBodyProps } from '../types.ts';
import { windowText } from './window.ts';

export const type = 'conv2d';
export const box = MAPS_NODE_BOX;

/** "8 filters 5×5" and "stride 1 · valid · 208 params". */
export function Body({ data }: NodeBodyProps) {
  const t = useT();
  const lang = useEditor((s) => s.lang);
  if (data.node.type !== 'conv2d') return null;
  const d = data.node.data;
  const params = data.info ? data.info.paramCount.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-US') : '?';
  return (
    <>
      <div className="ng-main">{t('node.conv2d.filters', { n: d.filters, size: windowText(d.kernelSize) })}</div>
      <div className="ng-sub">
        {t('node.conv2d.detail', { stride: windowText(d.stride ?? 1, true), padding: d.padding ?? 'valid' })} ·{' '}
        {t('node.params', { n: params })}
      </div>
    </>
  );
}
