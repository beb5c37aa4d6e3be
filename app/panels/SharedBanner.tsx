import { type AppServices, useApp, useEditor, useT } from '../appContext.tsx';
import { fetchExample } from '../io/files.ts';
import { SHARE_PREFIX } from '../io/share.ts';

/** Removes `#g=…` from the address bar (without a reload), so a reload opens the autosave. */
function clearShareFragment(): void {
  if (location.hash.startsWith(SHARE_PREFIX)) history.replaceState(null, '', `${location.pathname}${location.search}`);
}

/** Keep: the shared graph becomes the autosave (the replaced one is kept as a version). */
export async function keepShared({ editor, autosave }: Pick<AppServices, 'editor' | 'autosave'>): Promise<void> {
  await autosave.adopt();
  clearShareFragment();
  editor.endShared();
}

/** Back: the autosaved graph as it was (or the XOR example on a first visit). */
export async function leaveShared({ editor, autosave }: Pick<AppServices, 'editor' | 'autosave'>): Promise<void> {
  if (!(await autosave.restore())) {
    editor.load(await fetchExample('xor', editor.getState().lang));
    editor.setExample('xor');
  }
  clearShareFragment();
  editor.endShared();
}

/** Above the canvas while a shared graph is on screen: nothing is saved until the user chooses. */
export function SharedBanner() {
  const services = useApp();
  const t = useT();
  const viewing = useEditor((s) => s.shared);
  if (!viewing) return null;
  return (
    <p className="ng-example-hint ng-shared" role="status" data-testid="shared-banner">
      <span>
        {t('shared.viewing', { name: viewing.name, weights: viewing.withWeights ? t('shared.withWeights') : '' })}
        {!viewing.verified && <> {t('shared.unverified')}</>}
      </span>
      <button
        type="button"
        className="primary"
        data-testid="shared-keep"
        title={t('shared.keepHint')}
        onClick={() => void keepShared(services)}
      >
        {t('shared.keep')}
      </button>
      <button type="button" data-testid="shared-back" onClick={() => void leaveShared(services)}>
        {t('shared.back')}
      </button>
    </p>
  );
}
