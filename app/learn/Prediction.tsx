// The learner's prediction of a backward value before it is shown: type a number or pick one of three;
// the answer is checked against the engine's value (prediction.ts) and counted for the open lesson.
import { useState } from 'react';
import { useT } from '../appContext.tsx';
import { sci } from './levels.ts';
import './lessons.css';
import { isHit, type PredictionTarget } from './prediction.ts';

export function Prediction({
  target,
  onAnswer,
}: {
  target: PredictionTarget;
  /** `hit` is null when the learner asked to see it without predicting. */
  onAnswer: (hit: boolean | null) => void;
}) {
  const t = useT();
  const [typed, setTyped] = useState('');
  const guess = (v: number) => onAnswer(isHit(v, target.value));
  return (
    <span className="ng-predict" data-testid="predict">
      <span className="ng-trace-term-title">
        {target.to ? t('predict.ask', { to: target.to }) : t('predict.askParam')}
      </span>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const v = Number(typed.replace(',', '.').replace('−', '-'));
          if (typed.trim() !== '' && Number.isFinite(v)) guess(v);
        }}
      >
        <input
          type="text"
          inputMode="decimal"
          data-testid="predict-input"
          aria-label={t('predict.placeholder')}
          placeholder={t('predict.placeholder')}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
        <button type="submit" data-testid="predict-check">
          {t('predict.check')}
        </button>
      </form>
      <span className="ng-predict-choices">
        {t('predict.pick')}
        {target.choices.map((c) => (
          <button type="button" key={c} data-testid="predict-choice" data-value={c} onClick={() => guess(c)}>
            {sci(c)}
          </button>
        ))}
        <button type="button" className="ng-predict-show" data-testid="predict-show" onClick={() => onAnswer(null)}>
          {t('predict.show')}
        </button>
      </span>
    </span>
  );
}

/** What the learner predicted, shown above the revealed values. */
export function PredictionResult({ hit, value }: { hit: boolean; value: number }) {
  const t = useT();
  return (
    <p className={`ng-predict-result ${hit ? 'hit' : 'miss'}`} data-testid="predict-result" data-hit={String(hit)}>
      {t(hit ? 'predict.hit' : 'predict.miss', { value: sci(value) })}
    </p>
  );
}
