import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useT } from '../appContext.tsx';
import type { VariantRun } from '../editor/comparePool.ts';

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

/** The chart's data: the epochs on x, one row of training losses per variant (null where it has none). */
export function compareColumns(variants: readonly Pick<VariantRun, 'history'>[]): uPlot.AlignedData {
  // NOTE: a long run's history is thinned (every k-th epoch): the x axis is the epochs measured, not 1..N.
  const xs = [...new Set(variants.flatMap((v) => v.history.map((m) => m.epoch)))].sort((a, b) => a - b);
  const column = new Map(xs.map((x, i) => [x, i]));
  const ys = variants.map((v) => {
    const out: (number | null)[] = new Array(xs.length).fill(null);
    for (const m of v.history) if (m.trainLoss > 0) out[column.get(m.epoch)!] = m.trainLoss;
    return out;
  });
  return [xs, ...ys] as uPlot.AlignedData;
}

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

  const columns = useMemo(() => compareColumns(variants), [variants]);
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
