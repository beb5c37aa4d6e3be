// Going back in a run's timeline (timeline.ts): the view of a snapshot's weights while scrubbing,
// which leaves the live run as it was, and a branch that continues training from a snapshot.
import { featureMaps } from './featureMaps.ts';
import { createDivergenceGuard } from './divergence.ts';
import { outputView } from './outputView.ts';
import { evaluation, type Reports } from './reports.ts';
import { modelState, type SessionState } from './sessionState.ts';
import { computeNodeStats } from './sessionStats.ts';
import { withParams } from './withParams.ts';

/** Posts the statistics, output view, feature maps and evaluation of the timeline's snapshot at `epoch`. */
export function postScrubView(s: SessionState, epoch: number): void {
  const { trainer: t, probe: p } = s;
  const snap = s.timeline.at(epoch);
  if (!t || !snap || !p) return;
  const [nodes, view, maps, evaluated] = withParams(modelState(t.model), snap.values, () => [
    computeNodeStats(t, p, true, s.activationFns),
    outputView(t, true),
    featureMaps(t, s.mapsSample),
    evaluation(t),
  ]);
  s.post({ type: 'scrubView', epoch: snap.epoch, nodes, view, maps, evaluation: evaluated }, snap.step - s.base);
}

/** Continues from the timeline's snapshot at `epoch` as run `next`: its weights, fresh optimizer moments. */
export function branch(s: SessionState, reports: Reports, epoch: number, next: number): void {
  const { trainer } = s;
  const snap = s.timeline.at(epoch);
  if (!trainer || !snap) return;
  const state = modelState(trainer.model);
  for (const [key, values] of snap.values) state.get(key)?.data.set(values);
  const rows = trainer.dataset.train.x.shape[0] as number;
  // NOTE: the branch starts with fresh optimizer moments (the snapshot keeps weights only).
  trainer.optimizer.resetState();
  trainer.restore({
    epoch: snap.epoch,
    samples: snap.epoch * rows,
    optimizer: trainer.snapshot().optimizer,
    history: trainer.history.filter((h) => h.epoch <= snap.epoch),
  });
  s.guard = createDivergenceGuard(trainer, s.initialLoss);
  s.timeline.truncateAfter(snap.epoch);
  s.timelineChanged = true;
  s.pendingEpochs = [];
  s.runId = next;
  s.total = snap.step;
  s.base = snap.step;
  s.post({ type: 'branched', epoch: snap.epoch });
  reports.report(true);
}
