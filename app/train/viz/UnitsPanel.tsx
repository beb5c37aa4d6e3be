// What each unit of a Dense layer looks for: its column of W. Image inputs give one tile per unit
// (28×28 for MNIST: the strokes a hidden unit responds to); a small layer gives the table of W;
// both with one colour scale for the whole layer, so units compare.
import { useCallback, useRef } from 'react';
import { type DatasetSpec, nodeDefinition, problemFormat, sizeOf } from '../../../engine/index.ts';
import { useApp, useEditor, useRev, useT, useTraining } from '../../appContext.tsx';
import { shownNodes } from '../../editor/trainingViews.ts';
import { useDismiss } from '../../panels/useDismiss.ts';
import { Canvas2D, diverging } from './Canvas2D.tsx';

/** A layer of at most this many weights (and units) is shown as a table. */
const TABLE_MAX = { weights: 256, units: 16 } as const;
/** On-screen size of one unit's tile (CSS px): 28 pixels at 2 px each. */
const TILE_PX = 56;

const num = (v: number) => (Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(1) : v.toPrecision(3));
const css = (v: number) => `rgb(${diverging(v).join(',')})`;

/** Height, width and channels of the image a layer's inputs are, or null when they are not one. */
export function inputImage(
  inputs: number,
  inputShape: readonly number[] | undefined,
  dataset: DatasetSpec | undefined,
): { h: number; w: number; c: number } | null {
  if (dataset?.kind === 'mnist' && inputs === 784) return { h: 28, w: 28, c: 1 };
  if (!inputShape || inputShape.length < 2 || sizeOf(inputShape) !== inputs) return null;
  return { h: inputShape[0]!, w: inputShape[1]!, c: inputShape.length > 2 ? sizeOf(inputShape.slice(2)) : 1 };
}

export function UnitsPanel() {
  const { editor } = useApp();
  const t = useT();
  const nodeId = useEditor((s) => s.nodeView);
  // NOTE: a node with feature maps opens MapsPanel instead.
  const node = useEditor((s) =>
    s.doc.nodes.find((n) => n.id === s.nodeView && nodeDefinition(n.type).featureMaps !== true),
  );
  const inputShape = useEditor((s) => s.analysis.inputShape);
  const dataset = useEditor(
    (s) => s.doc.nodes.find((n) => n.type === 'input')?.data.dataset as DatasetSpec | undefined,
  );
  const lang = useEditor((s) => s.lang);
  const W = useTraining((s) => (nodeId ? shownNodes(s).get(nodeId)?.weights : undefined));
  const rev = useRev('stats');
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => editor.showNodeView(null), [editor]);
  useDismiss(ref, node !== undefined, close);
  if (!node) return null;
  let max = 0;
  if (W) for (const v of W.data) max = Math.max(max, Math.abs(v));
  const image = W ? inputImage(W.rows, inputShape, dataset) : null;
  const small = W && W.rows * W.cols <= TABLE_MAX.weights && W.cols <= TABLE_MAX.units;
  return (
    <div
      ref={ref}
      className="ng-versions ng-units"
      role="dialog"
      aria-label={t('units.title')}
      data-testid="units-view"
      data-rev={W ? rev : undefined}
    >
      <div className="ng-row">
        <b>{t('units.heading', { node: problemFormat(lang).node(node.id, node.type) })}</b>
        <button type="button" onClick={close} aria-label={t('versions.close')}>
          ×
        </button>
      </div>
      {!W ? (
        <p className="ng-muted">{t('units.untrained')}</p>
      ) : (
        <>
          <p className="ng-muted">
            {t(image ? 'units.explainTiles' : small ? 'units.explainTable' : 'units.explainLarge', {
              rows: W.rows,
              cols: W.cols,
            })}
          </p>
          <Legend max={max} />
          {image ? (
            <Tiles data={W.data} rows={W.rows} cols={W.cols} image={image} max={max} />
          ) : small ? (
            <WeightTable data={W.data} rows={W.rows} cols={W.cols} max={max} />
          ) : (
            <p>{t('units.tooLarge', { rows: W.rows, cols: W.cols })}</p>
          )}
        </>
      )}
    </div>
  );
}

function Legend({ max }: { max: number }) {
  const t = useT();
  return (
    <div className="ng-units-legend" data-testid="units-legend">
      <span>−{num(max)}</span>
      <i aria-hidden="true" />
      <span>+{num(max)}</span>
      <span className="ng-muted">{t('units.legend')}</span>
    </div>
  );
}

/** One tile per unit: its weights from every pixel, laid out as the image (channels averaged). */
function Tiles({
  data,
  rows,
  cols,
  image,
  max,
}: {
  data: Float32Array;
  rows: number;
  cols: number;
  image: { h: number; w: number; c: number };
  max: number;
}) {
  const t = useT();
  const scale = Math.max(1, Math.round(TILE_PX / Math.max(image.h, image.w)));
  return (
    <div className="ng-units-tiles">
      {Array.from({ length: cols }, (_, unit) => (
        <figure key={unit} data-testid="unit-tile">
          <Tile data={data} rows={rows} cols={cols} unit={unit} image={image} max={max} scale={scale} />
          <figcaption>{t('units.unit', { n: unit + 1 })}</figcaption>
        </figure>
      ))}
    </div>
  );
}

function Tile({
  data,
  rows,
  cols,
  unit,
  image,
  max,
  scale,
}: {
  data: Float32Array;
  rows: number;
  cols: number;
  unit: number;
  image: { h: number; w: number; c: number };
  max: number;
  scale: number;
}) {
  const t = useT();
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D) => {
      const { h, w, c } = image;
      const img = ctx.createImageData(w, h);
      const k = max > 0 ? 1 / max : 1;
      for (let p = 0; p < h * w; p++) {
        let sum = 0;
        for (let ch = 0; ch < c; ch++) sum += data[(p * c + ch) * cols + unit] as number;
        img.data.set([...diverging((sum / c) * k), 255], p * 4);
      }
      const off = new OffscreenCanvas(w, h);
      off.getContext('2d')!.putImageData(img, 0, 0);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(off, 0, 0, w * scale, h * scale);
    },
    [data, cols, unit, image, max, scale],
  );
  return (
    <Canvas2D
      width={image.w * scale}
      height={image.h * scale}
      draw={draw}
      className="ng-unit-tile"
      label={t('units.unit', { n: unit + 1 })}
      title={t('units.tileHint', { n: unit + 1, rows })}
    />
  );
}

/** W as a table: a row per input, a column per unit, each cell coloured by its value. */
function WeightTable({ data, rows, cols, max }: { data: Float32Array; rows: number; cols: number; max: number }) {
  const t = useT();
  const k = max > 0 ? 1 / max : 1;
  return (
    <table className="ng-units-table" data-testid="units-table">
      <thead>
        <tr>
          <th />
          {Array.from({ length: cols }, (_, c) => (
            <th key={c} scope="col">
              {t('units.unit', { n: c + 1 })}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {Array.from({ length: rows }, (_, r) => (
          <tr key={r}>
            <th scope="row">{t('units.input', { n: r + 1 })}</th>
            {Array.from({ length: cols }, (_, c) => {
              const v = data[r * cols + c] as number;
              return (
                <td
                  key={c}
                  data-testid="weight-cell"
                  style={{ background: css(v * k), color: Math.abs(v * k) > 0.6 ? 'white' : undefined }}
                >
                  {num(v)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
