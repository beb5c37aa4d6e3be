// The larger view of a node's feature maps (opened from the node): every channel sent for the picked
// test image at a size where shapes are visible, the image itself with its label and prediction, a
// picker for the other test images, and for a Conv2D its filters (per input channel when there are few).
import { useCallback, useRef } from 'react';
import { nodeDefinition, problemFormat } from '../../../engine/index.ts';
import { useApp, useEditor, useRev, useT, useTraining } from '../../appContext.tsx';
import { shownMaps, shownNodes, shownOutput } from '../../editor/trainingViews.ts';
import { useDismiss } from '../../panels/useDismiss.ts';
import { Canvas2D, drawPixels } from './Canvas2D.tsx';
import { type Filters, FiltersCanvas, filtersMax, gridLayout, MapsCanvas, maxAbs, num } from './FeatureMaps.tsx';
import { useClassName } from './outputs.tsx';

/** On-screen size of one channel's image (CSS px, its longer side) and of one filter's. */
const MAP_PX = 84;
const FILTER_PX = 40;
/** Input channels up to this many get a column each; more are averaged (one image per filter). */
const PER_CHANNEL_MAX = 4;

export function MapsPanel() {
  const { editor, training } = useApp();
  const t = useT();
  const nodeId = useEditor((s) => s.nodeView);
  const node = useEditor((s) => s.doc.nodes.find((n) => n.id === s.nodeView));
  const lang = useEditor((s) => s.lang);
  const all = useTraining(shownMaps);
  const maps = all?.nodes.find((n) => n.id === nodeId);
  const filters = useTraining((s) => (nodeId ? shownNodes(s).get(nodeId)?.filters : undefined));
  const output = useTraining(shownOutput);
  const rev = useRev('maps');
  const statsRev = useRev('stats');
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => editor.showNodeView(null), [editor]);
  const open = node !== undefined && nodeDefinition(node.type).featureMaps === true;
  useDismiss(ref, open, close);
  if (!open || !node) return null;
  const images = output?.kind === 'digits' ? output : null;
  const count = images ? images.labels.length : 0;
  const sample = all?.sample ?? 0;
  const max = maps ? maxAbs(maps.data) : 0;
  return (
    <div
      ref={ref}
      className="ng-versions ng-units ng-maps"
      role="dialog"
      aria-label={t('maps.title')}
      data-testid="maps-view"
      data-rev={maps ? rev : undefined}
    >
      <div className="ng-row">
        <b>{t('maps.heading', { node: problemFormat(lang).node(node.id, node.type) })}</b>
        <button type="button" onClick={close} aria-label={t('versions.close')}>
          ×
        </button>
      </div>
      {!maps ? (
        <p className="ng-muted">{t('units.untrained')}</p>
      ) : (
        <>
          {images && (
            <div className="ng-row ng-maps-sample">
              <button
                type="button"
                aria-label={t('maps.prev')}
                data-testid="maps-prev"
                disabled={sample <= 0}
                onClick={() => training.showMapsOf(sample - 1)}
              >
                ◂
              </button>
              <SampleImage view={images} index={sample} />
              <span data-testid="maps-sample">
                {t('maps.sample', { n: sample + 1, count })}
                <br />
                <SampleTruth view={images} index={sample} />
              </span>
              <button
                type="button"
                aria-label={t('maps.next')}
                data-testid="maps-next"
                disabled={sample >= count - 1}
                onClick={() => training.showMapsOf(sample + 1)}
              >
                ▸
              </button>
            </div>
          )}
          <p className="ng-muted">{t('maps.explain', { shown: maps.channels, total: maps.total })}</p>
          <Legend max={max} text={t('maps.legend')} />
          <div className="ng-units-tiles">
            {Array.from({ length: maps.channels }, (_, c) => (
              <figure key={c} data-testid="map-tile">
                <MapsCanvas
                  maps={{ ...maps, channels: 1, data: maps.data.subarray(c * maps.height * maps.width) }}
                  layout={gridLayout(1, maps.height, maps.width, { width: MAP_PX, height: MAP_PX })}
                  max={max}
                  className="ng-unit-tile"
                />
                <figcaption>{t('maps.channel', { n: c + 1 })}</figcaption>
              </figure>
            ))}
          </div>
          {filters && <FilterGrid filters={filters} rev={statsRev} />}
        </>
      )}
    </div>
  );
}

function Legend({ max, text }: { max: number; text: string }) {
  return (
    <div className="ng-units-legend" data-testid="maps-legend">
      <span>−{num(max)}</span>
      <i aria-hidden="true" />
      <span>+{num(max)}</span>
      <span className="ng-muted">{text}</span>
    </div>
  );
}

type Images = Extract<NonNullable<ReturnType<typeof shownOutput>>, { kind: 'digits' }>;

function SampleImage({ view, index }: { view: Images; index: number }) {
  const t = useT();
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D) => drawPixels(ctx, view.images, index, view, view.invert),
    [view, index],
  );
  return (
    <Canvas2D
      width={view.width}
      height={view.height}
      draw={draw}
      className="ng-maps-input"
      label={t('maps.sample', { n: index + 1, count: view.labels.length })}
    />
  );
}

function SampleTruth({ view, index }: { view: Images; index: number }) {
  const t = useT();
  const name = useClassName(view.classes, view.classNames);
  const truth = view.labels[index];
  const predicted = view.predicted[index];
  if (truth === undefined || predicted === undefined) return null;
  return <>{t('maps.truth', { truth: name(truth), predicted: name(predicted) })}</>;
}

/** One row per filter; a column per input channel when there are few, else one averaged image each. */
function FilterGrid({ filters, rev }: { filters: Filters; rev: string | undefined }) {
  const t = useT();
  const perChannel = filters.inChannels > 1 && filters.inChannels <= PER_CHANNEL_MAX;
  const columns = perChannel ? filters.inChannels : 1;
  const max = Math.max(...Array.from({ length: columns }, (_, ch) => filtersMax(filters, perChannel ? ch : -1)));
  const { kh, kw } = filters;
  const one = { width: FILTER_PX, height: FILTER_PX };
  return (
    <section data-testid="maps-filters" data-rev={rev}>
      <h3>{t('maps.filters', { filters: filters.filters, kh, kw, c: filters.inChannels })}</h3>
      <p className="ng-muted">
        {t(perChannel || filters.inChannels === 1 ? 'maps.filtersPerChannel' : 'maps.filtersAveraged', {
          kh,
          kw,
          c: filters.inChannels,
        })}
      </p>
      <Legend max={max} text={t('maps.filtersLegend')} />
      <div className="ng-units-tiles">
        {Array.from({ length: filters.filters }, (_, f) => (
          <figure key={f} data-testid="filter-tile">
            <div className="ng-row">
              {Array.from({ length: columns }, (_, ch) => (
                <FiltersCanvas
                  key={ch}
                  filters={{ ...filters, filters: 1, data: oneFilter(filters, f) }}
                  layout={gridLayout(1, kh, kw, one)}
                  max={max}
                  inChannel={perChannel ? ch : -1}
                  className="ng-unit-tile"
                  title={perChannel ? t('maps.inChannel', { n: ch + 1 }) : undefined}
                />
              ))}
            </div>
            <figcaption>{t('maps.filter', { n: f + 1 })}</figcaption>
          </figure>
        ))}
      </div>
    </section>
  );
}

/** Filter f alone, as W [kh, kw, c, 1]. */
function oneFilter(f: Filters, filter: number): Float32Array {
  const out = new Float32Array(f.kh * f.kw * f.inChannels);
  for (let i = 0; i < out.length; i++) out[i] = f.data[i * f.filters + filter]!;
  return out;
}
