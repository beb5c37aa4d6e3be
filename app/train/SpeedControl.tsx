// The pace of training (`train-speed`): from one step a second, each step flashed with its number
// and loss, through a pace one can watch, to full speed. Changing it mid-run takes effect at once.
import { useApp, useT, useTraining } from '../appContext.tsx';
import type { MessageKey } from '../i18n/catalogue.ts';
import { fmt } from './NodeOverlay.tsx';
import { type Pace, PACES, STEPS_PER_SECOND } from '../worker/pace.ts';

const LABEL: Readonly<Record<Pace, MessageKey>> = {
  step: 'pace.step',
  slow: 'pace.slow',
  watch: 'pace.watch',
  full: 'pace.full',
};

export function SpeedControl() {
  const { training } = useApp();
  const t = useT();
  const pace = useTraining((s) => s.pace);
  return (
    <span className="ng-pace">
      <label
        title={t('pace.hint', {
          step: STEPS_PER_SECOND.step ?? '',
          slow: STEPS_PER_SECOND.slow ?? '',
          watch: STEPS_PER_SECOND.watch ?? '',
        })}
      >
        {t('pace.label')}{' '}
        <select data-testid="train-speed" value={pace} onChange={(e) => training.setPace(e.target.value as Pace)}>
          {PACES.map((p) => (
            <option key={p} value={p}>
              {t(LABEL[p], { n: STEPS_PER_SECOND[p] ?? '' })}
            </option>
          ))}
        </select>
      </label>
      {(pace === 'step' || pace === 'slow') && <CurrentStep />}
    </span>
  );
}

/** The step just trained, flashing as each one lands (a new key restarts the CSS animation). */
function CurrentStep() {
  const t = useT();
  const progress = useTraining((s) => s.progress);
  if (!progress || progress.samples === 0) return null;
  const step = progress.epoch * progress.batchesPerEpoch + progress.batch;
  return (
    <span key={progress.samples} className="ng-step-flash" data-testid="train-current-step" aria-live="polite">
      {t('pace.current', { n: step, loss: fmt(progress.loss) })}
    </span>
  );
}
