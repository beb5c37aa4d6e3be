import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useT, useTraining } from '../../appContext.tsx';

/** Training loss (live), test loss and, for classification, test accuracy per epoch; optional log scale.
 * The series belong to the current run only (the training state starts empty for each run). */
export function LossChart({
  log,
  width = 380,
  height = 190,
  classification,
}: {
  log: boolean;
  width?: number;
  height?: number;
  classification: boolean;
}) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const lossX = useTraining((s) => s.lossX);
  const lossY = useTraining((s) => s.lossY);
  const history = useTraining((s) => s.history);
  const cursor = useTraining((s) => s.scrub?.epoch ?? null);
  const cursorRef = useRef(cursor);
  cursorRef.current = cursor;
  const t = useT();

  useEffect(() => {
    if (!host.current) return;
    const opts: uPlot.Options = {
      width,
      height,
      scales: { x: { time: false }, y: { distr: log ? 3 : 1 }, acc: { range: [0, 1] } },
      axes: [
        { label: t('chart.epoch') },
        { label: t('chart.lossAxis') },
        ...(classification ? [{ scale: 'acc', side: 1, label: t('chart.accuracyAxis'), grid: { show: false } }] : []),
      ],
      series: [
        {},
        { label: t('chart.trainLoss'), stroke: '#3b64b5', width: 1.5, spanGaps: true },
        { label: t('chart.testLoss'), stroke: '#b0413e', width: 1.5, spanGaps: true, points: { show: true, size: 4 } },
        ...(classification
          ? [
              {
                label: t('chart.testAcc'),
                stroke: '#2f7d5b',
                scale: 'acc',
                width: 1.5,
                spanGaps: true,
                points: { show: true, size: 4 },
              },
            ]
          : []),
      ],
      legend: { live: false },
      // The scrubber's epoch: a vertical line across the plot.
      hooks: {
        draw: [
          (u: uPlot) => {
            const epoch = cursorRef.current;
            if (epoch === null) return;
            const x = u.valToPos(epoch, 'x', true);
            const { ctx, bbox } = u;
            ctx.save();
            ctx.strokeStyle = '#d4731b';
            ctx.lineWidth = 2 * devicePixelRatio;
            ctx.beginPath();
            ctx.moveTo(x, bbox.top);
            ctx.lineTo(x, bbox.top + bbox.height);
            ctx.stroke();
            ctx.restore();
          },
        ],
      },
    };
    plot.current = new uPlot(opts, latest.current, host.current);
    return () => {
      plot.current?.destroy();
      plot.current = null;
    };
  }, [log, width, height, t, classification]);

  // Merge the live batch losses with the per-epoch points into one sorted x axis.
  const columns = useMemo(() => {
    const rows: [number, number | null, number | null, number | null][] = lossX.map((x, i) => [
      x,
      lossY[i]!,
      null,
      null,
    ]);
    // NOTE: a restored run has no batch losses yet: its epochs' training losses draw the line.
    const restored = lossX.length === 0;
    for (const m of history) rows.push([m.epoch, restored ? m.trainLoss : null, m.testLoss, m.testAccuracy ?? null]);
    rows.sort((a, b) => a[0] - b[0]);
    const positive = (v: number | null) => (v === null || !log || v > 0 ? v : null);
    const out = [rows.map((r) => r[0]), rows.map((r) => positive(r[1])), rows.map((r) => positive(r[2]))];
    if (classification) out.push(rows.map((r) => r[3]));
    return out as uPlot.AlignedData;
  }, [lossX, lossY, history, log, classification]);
  // NOTE: a re-created plot (new size or options) starts from the latest data.
  const latest = useRef(columns);
  latest.current = columns;

  useEffect(() => {
    plot.current?.setData(columns);
  }, [columns]);

  useEffect(() => {
    if (cursor !== undefined) plot.current?.redraw(false);
  }, [cursor]);

  return <div ref={host} className="ng-chart" data-testid="loss-chart" data-cursor={cursor ?? undefined} />;
}
