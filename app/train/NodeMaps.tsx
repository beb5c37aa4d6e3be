// Inside a node with an image-shaped output: its feature maps for the picked test image (one small
// image per channel) and, for a Conv2D, its filters; each grid with its colour scale, bounded by the
// node's box, and the button to the larger view.
import { useApp, useRev, useT, useTraining } from '../appContext.tsx';
import { shownMaps, shownNodes } from '../editor/trainingViews.ts';
import { FILTERS_BOX, MAPS_BOX } from '../nodes/nodeLook.ts';
import { FiltersCanvas, filtersMax, gridLayout, HeatScale, MapsCanvas, maxAbs, num } from './viz/FeatureMaps.tsx';

export function NodeMaps({ nodeId }: { nodeId: string }) {
  const t = useT();
  const { editor } = useApp();
  const maps = useTraining((s) => shownMaps(s)?.nodes.find((n) => n.id === nodeId));
  const sample = useTraining((s) => shownMaps(s)?.sample ?? 0);
  const filters = useTraining((s) => shownNodes(s).get(nodeId)?.filters);
  const rev = useRev('maps');
  if (!maps) return null;
  const max = maxAbs(maps.data);
  const layout = gridLayout(maps.channels, maps.height, maps.width, MAPS_BOX);
  const more = maps.total - maps.channels;
  const fMax = filters ? filtersMax(filters, -1) : 0;
  return (
    <>
      <div className="ng-heat-row" data-testid="node-maps" data-rev={rev} data-sample={sample}>
        <MapsCanvas
          maps={maps}
          layout={layout}
          max={max}
          className="ng-heatmap"
          title={t('maps.nodeHint', { n: sample + 1, shown: maps.channels, total: maps.total, max: num(max) })}
        />
        <span className="ng-maps-side">
          <HeatScale max={max} title={t('maps.legend')} compact />
          {more > 0 && (
            <span title={t('maps.moreHint', { n: more, shown: maps.channels })}>{t('maps.more', { n: more })}</span>
          )}
          <button
            type="button"
            className="nodrag ng-units-open"
            data-testid="maps-open"
            title={t('maps.openHint')}
            onClick={() => editor.showNodeView(nodeId)}
          >
            {t('maps.open')} ▸
          </button>
        </span>
      </div>
      {filters && (
        <div className="ng-heat-row" data-testid="node-filters">
          <FiltersCanvas
            filters={filters}
            layout={gridLayout(filters.filters, filters.kh, filters.kw, FILTERS_BOX, 1)}
            max={fMax}
            className="ng-heatmap"
            title={t('viz.filtersHint', {
              filters: filters.filters,
              kh: filters.kh,
              kw: filters.kw,
              c: filters.inChannels,
              max: num(fMax),
            })}
          />
          <HeatScale max={fMax} title={t('maps.filtersLegend')} compact />
        </div>
      )}
    </>
  );
}
