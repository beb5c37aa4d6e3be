// Threads per training step (`train-threads`): auto (the engine decides by the graph's size), 1 or 2.
// Beside it, what the steps run on now (`train-threads-now`): on a page that is not cross-origin
// isolated there is no shared memory, so two threads exchange messages (said so), or it says why one.
import { useApp, useT, useTraining } from '../appContext.tsx';
import { THREADS_SETTINGS, type ThreadsSetting } from '../worker/protocol.ts';

const parse = (v: string): ThreadsSetting => (v === '1' ? 1 : v === '2' ? 2 : 'auto');

export function ThreadsControl() {
  const { training } = useApp();
  const t = useT();
  const threads = useTraining((s) => s.threads);
  const now = useTraining((s) => (s.progress && s.progress.samples > 0 ? (s.progress.threads ?? 1) : null));
  const byMessages = useTraining((s) => s.progress?.threadsBy === 'messages');
  const isolated = typeof SharedArrayBuffer !== 'undefined' && globalThis.crossOriginIsolated === true;
  return (
    <label className="ng-field" title={t('threads.hint')}>
      <span>{t('threads.label')}</span>
      <select
        data-testid="train-threads"
        value={String(threads)}
        onChange={(e) => training.setThreads(parse(e.target.value))}
      >
        {THREADS_SETTINGS.map((s) => (
          <option key={s} value={String(s)}>
            {s === 'auto' ? t('threads.auto') : String(s)}
          </option>
        ))}
      </select>
      {now !== null && now > 1 && byMessages ? (
        <small data-testid="train-threads-now" data-threads={now} data-threads-by="messages">
          {t('threads.nowTwoByMessages')}
        </small>
      ) : !isolated ? (
        <small data-testid="train-threads-now" data-threads="1">
          {t('threads.notIsolated')}
        </small>
      ) : (
        now !== null && (
          <small data-testid="train-threads-now" data-threads={now}>
            {t(now > 1 ? 'threads.nowTwo' : 'threads.nowOne')}
          </small>
        )
      )}
    </label>
  );
}
