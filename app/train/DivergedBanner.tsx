// Shown while training is stopped by a divergence: what blew up and where, that the parameters are
// back at the last healthy step, and a lower learning rate to continue with (no Reset needed). Weights
// that were loaded non-finite get Reset instead: no learning rate helps them.
import { useApp, useEditor, useT, useTraining } from '../appContext.tsx';
import { fmt } from './NodeOverlay.tsx';

/** A tenth of the learning rate, without float dust (0.3 / 10 is 0.030000000000000002). */
export const lowerRate = (lr: number) => Number((lr / 10).toPrecision(3));
/** A learning rate as typed: 50, 0.5, 1e-7 (not fmt's 50.0). */
const rate = (lr: number) => String(lr);

export function DivergedBanner() {
  const { training, editor } = useApp();
  const t = useT();
  const status = useTraining((s) => s.status);
  const report = useTraining((s) => s.diverged);
  const optimizer = useEditor((s) => s.doc.training.optimizer);
  if (status !== 'diverged' || !report) return null;
  if (report.cause === 'badWeights')
    return (
      <div className="ng-nan" role="alert" data-testid="train-diverged" data-node-id={report.nodeId}>
        <b>{t('diverged.badWeightsTitle')}</b> {t('diverged.badWeights', { param: report.param ?? report.nodeId })}
        <button type="button" className="primary" data-testid="diverged-reset" onClick={() => training.reset()}>
          {t('train.reset')}
        </button>
        <button type="button" onClick={() => editor.focusNode(report.nodeId)}>
          {t('train.showNode', { id: report.nodeId })}
        </button>
      </div>
    );
  const lr = optimizer.learningRate;
  const lower = lowerRate(lr);
  const apply = () => {
    if (editor.run({ type: 'setOptimizer', optimizer: { ...optimizer, learningRate: lower } }).ok) training.start();
  };
  return (
    <div className="ng-nan" role="alert" data-testid="train-diverged" data-node-id={report.nodeId}>
      <b>{t('diverged.title')}</b>{' '}
      {report.cause === 'exploded'
        ? t('diverged.exploded', {
            epoch: report.epoch,
            loss: fmt(report.loss),
            start: fmt(report.startLoss),
            limit: fmt(report.limit),
            id: report.nodeId,
          })
        : t('diverged.nonFinite', { epoch: report.epoch, id: report.nodeId, detail: report.message })}{' '}
      {t('diverged.rolledBack')} {t('diverged.suggest', { lr: rate(lr), lower: rate(lower) })}
      <button type="button" className="primary" data-testid="diverged-apply" onClick={apply}>
        {t('diverged.apply', { lr: rate(lower) })}
      </button>
      <button type="button" onClick={() => editor.focusNode(report.nodeId)}>
        {t('train.showNode', { id: report.nodeId })}
      </button>
      <button type="button" onClick={() => training.reset()}>
        {t('train.reset')}
      </button>
    </div>
  );
}
