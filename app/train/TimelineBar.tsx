// The timeline under the loss chart: a scrubber over the epochs the worker kept a snapshot of.
// Moving it shows that epoch everywhere (node overlays, edges, the output view, the chart's cursor);
// "Continue from here" branches a new run from it.
import { useApp, useRev, useT, useTraining } from '../appContext.tsx';

export function TimelineBar() {
  const { training } = useApp();
  const t = useT();
  const epochs = useTraining((s) => s.timeline.epochs);
  const bytes = useTraining((s) => s.timeline.bytes);
  const scrub = useTraining((s) => s.scrub);
  const running = useTraining((s) => s.status === 'running');
  const rev = useRev('timeline');
  if (epochs.length < 2) return null;
  const last = epochs.length - 1;
  const index = scrub ? Math.max(0, epochs.indexOf(scrub.epoch)) : last;
  const shown = epochs[index] ?? 0;
  return (
    <div
      className={`ng-timeline${scrub ? ' scrubbing' : ''}`}
      title={t('timeline.hint', { n: epochs.length, mb: (bytes / 1e6).toFixed(1) })}
    >
      {/* NOTE: the slider's row never changes while scrubbing (it shrank from 213 to 80 px under the
          pointer, so the first drag did nothing): the buttons get a row of their own below it. */}
      <label htmlFor="ng-timeline-range">{t('timeline.label')}</label>
      <input
        id="ng-timeline-range"
        type="range"
        min={0}
        max={last}
        step={1}
        value={index}
        data-testid="timeline-scrubber"
        data-rev={rev}
        aria-label={t('timeline.label')}
        aria-valuetext={t('timeline.epoch', { epoch: shown })}
        onChange={(e) => {
          const i = Number(e.target.value);
          if (i === last && !scrub) return;
          training.scrub(epochs[i]!);
        }}
      />
      <span className="ng-timeline-epoch" data-testid="timeline-epoch">
        {scrub ? t('timeline.epoch', { epoch: shown }) : running ? t('timeline.live') : t('timeline.latest')}
      </span>
      {scrub && (
        <span className="ng-timeline-actions">
          <button type="button" data-testid="timeline-branch" onClick={() => training.branch(scrub.epoch)}>
            {t('timeline.branch')}
          </button>
          <button type="button" data-testid="timeline-live" onClick={() => training.live()}>
            {t('timeline.back')}
          </button>
        </span>
      )}
    </div>
  );
}
