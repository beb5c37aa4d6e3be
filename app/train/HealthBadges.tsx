// Health badges inside a node: what the live statistics say about it (health.ts), each with what it
// means and one thing to try, shown on hover and on click.
import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { useEditor, useT, useTraining } from '../appContext.tsx';
import type { TrainingState } from '../editor/trainingState.ts';
import { shownNodes, viewRev } from '../editor/trainingViews.ts';
import type { MessageKey } from '../i18n/catalogue.ts';
import { assessHealth, HEALTH_LIMITS, type HealthFinding } from './health.ts';
import type { GraphDoc } from '../../engine/index.ts';

let memo: { doc: GraphDoc; nodes: unknown; history: unknown; found: Map<string, HealthFinding[]> } | null = null;

/** The findings of the whole graph, computed once per statistics update (every node's badges share it). */
function findings(doc: GraphDoc, s: TrainingState): Map<string, HealthFinding[]> {
  const nodes = shownNodes(s);
  const history = s.scrub ? s.history.filter((h) => h.epoch <= s.scrub!.epoch) : s.history;
  if (memo && memo.doc === doc && memo.nodes === nodes && memo.history === s.history) return memo.found;
  const found = assessHealth({ doc, nodes, history, initialLoss: s.initialLoss });
  memo = { doc, nodes, history: s.history, found };
  return found;
}

const EMPTY: HealthFinding[] = [];

export function HealthBadges({ nodeId }: { nodeId: string }) {
  const t = useT();
  const doc = useEditor((s) => s.doc);
  const list = useTraining((s) => findings(doc, s).get(nodeId) ?? EMPTY);
  // NOTE: read only where there are badges: the revs change with every report.
  const statsRev = useTraining((s) =>
    (findings(doc, s).get(nodeId)?.length ?? 0) > 0 ? viewRev(s, 'stats') : undefined,
  );
  const chartRev = useTraining((s) =>
    (findings(doc, s).get(nodeId)?.length ?? 0) > 0 ? viewRev(s, 'chart') : undefined,
  );
  const [open, setOpen] = useState<{ code: string; x: number; y: number } | null>(null);
  useEffect(() => {
    if (!open) return;
    const close = () => setOpen(null);
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && close();
    window.addEventListener('pointerdown', close);
    window.addEventListener('wheel', close);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('pointerdown', close);
      window.removeEventListener('wheel', close);
      window.removeEventListener('keydown', onKey);
    };
  }, [open]);
  if (list.length === 0) return null;
  const text = (f: HealthFinding, part: 'label' | 'meaning') =>
    t(`health.${f.code}.${part}` as MessageKey, {
      pct: (f.value * 100).toFixed(f.code === 'loss-stalled' ? 2 : 0),
      ratio: f.value.toPrecision(2),
      window: HEALTH_LIMITS.stall.window,
    });
  const shown = open && list.find((f) => f.code === open.code);
  return (
    <div className="ng-health nodrag" data-testid="health">
      {list.map((f) => (
        <button
          type="button"
          key={f.code}
          className={`ng-health-badge ${f.level}`}
          data-testid="health-badge"
          // NOTE: a stalled loss is read from the chart's history, every other finding from the statistics.
          data-rev={f.code === 'loss-stalled' ? chartRev : statsRev}
          data-code={f.code}
          aria-expanded={open?.code === f.code}
          title={`${text(f, 'meaning')}\n${t('health.try', { tip: t(`health.${f.code}.tip` as MessageKey) })}`}
          onPointerDown={(e) => e.stopPropagation()}
          onClick={(e) => {
            e.stopPropagation();
            const r = e.currentTarget.getBoundingClientRect();
            setOpen(open?.code === f.code ? null : { code: f.code, x: r.left, y: r.bottom + 4 });
          }}
        >
          {f.level === 'bad' ? '⚠' : '◔'} {text(f, 'label')}
        </button>
      ))}
      {shown &&
        open &&
        // NOTE: in a portal: inside the node it would be clipped by the node's box.
        createPortal(
          <p
            className="ng-health-detail"
            data-testid="health-detail"
            role="status"
            style={{ left: Math.min(open.x, window.innerWidth - 300), top: open.y }}
          >
            {text(shown, 'meaning')} <b>{t('health.try', { tip: t(`health.${shown.code}.tip` as MessageKey) })}</b>
          </p>,
          document.body,
        )}
    </div>
  );
}
