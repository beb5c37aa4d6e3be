import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useT } from '../appContext.tsx';
import type { VariantRun } from './comparePool.ts';

/** One colour per variant (Tableau 10), in variant order. */
export const VARIANT_COLOURS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#7f7f7f',
];
export const variantColour = (i: number) => VARIANT_COLOURS[i % VARIANT_COLOURS.length]!;

/** A log axis' tick: 100, 1, 0.01, 1e-4 (uPlot's default writes 0 for the small ones). */
const tick = (v: number | null) =>
  v === null ? '' : v >= 0.001 ? String(Number(v.toPrecision(3))) : v.toExponential(0);

/** The training loss of every variant per epoch, overlaid on a log scale, with a legend of their settings. */
export function CompareChart({
  variants,
  width,
  height,
}: {
  variants: readonly VariantRun[];
  width: number;
  height: number;
}) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const t = useT();
  const labels = variants.map((v) => v.label).join('\n');

  const columns = useMemo(() => {
    const longest = Math.max(0, ...variants.map((v) => v.history.length));
    const xs = Array.from({ length: longest }, (_, i) => i + 1);
    const ys = variants.map((v) => {
      const out: (number | null)[] = new Array(longest).fill(null);
      for (const m of v.history)
        if (m.epoch >= 1 && m.epoch <= longest && m.trainLoss > 0) out[m.epoch - 1] = m.trainLoss;
      return out;
    });
    return [xs, ...ys] as uPlot.AlignedData;
  }, [variants]);
  const latest = useRef(columns);
  latest.current = columns;

  useEffect(() => {
    if (!host.current) return;
    const opts: uPlot.Options = {
      width,
      height,
      scales: { x: { time: false }, y: { distr: 3 } },
      axes: [
        { label: t('chart.epoch') },
        { label: t('chart.lossAxis'), size: 56, values: (_, splits) => splits.map(tick) },
      ],
      series: [
        { label: t('chart.epoch') },
        ...labels.split('\n').map((label, i) => ({ label, stroke: variantColour(i), width: 1.5, spanGaps: true })),
      ],
      legend: { live: false },
    };
    plot.current = new uPlot(opts, latest.current, host.current);
    return () => {
      plot.current?.destroy();
      plot.current = null;
    };
  }, [labels, width, height, t]);

  useEffect(() => {
    plot.current?.setData(columns);
  }, [columns]);

  const drawn = variants.filter((v) => v.history.length > 0).length;
  return (
    <figure className="ng-compare-chart" aria-label={t('compare.chart')}>
      <div ref={host} data-testid="compare-chart" data-curves={drawn} />
      <figcaption className="ng-muted">{t('compare.chart')}</figcaption>
    </figure>
  );
}
