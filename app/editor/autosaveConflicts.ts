// Two tabs and one autosave: a tab hears when another saved this graph, after which its own edits go
// to a copy in the kept versions until the user chooses: load theirs, or keep mine (theirs, with
// their trained weights, is then kept as a version).
import { keepVersion, loadRecord, readMain, readTrainedRecord, readVersions, refreshVersions } from './autosaveIo.ts';
import { saveNow } from './autosaveSaving.ts';
import type { AutosaveTab } from './autosaveTab.ts';
import { removeVersion, VERSIONS_KEY } from './versions.ts';

/** Marks a conflict when another tab writes this graph; returns a function that stops listening. */
export function hearOtherTabs(tab: AutosaveTab): () => void {
  const { channel } = tab;
  if (!channel) return () => {};
  channel.onmessage = (event) => {
    // NOTE: a tab that only trained changed no graph: no edit conflict (its run is handled on save).
    if (event.data.tabId === tab.tabId || event.data.doc === false) return;
    tab.owner = false;
    // NOTE: the other tab may have written its own data record: ours is written again when we save.
    tab.savedData = null;
    tab.store.setState({ conflict: { savedAt: event.data.savedAt } });
  };
  return () => {
    channel.onmessage = null;
  };
}

/** Loads the other tab's autosave into the editor (this tab's graph stays in its copy). */
export const loadTheirs = (tab: AutosaveTab) =>
  tab.enqueue(async () => {
    tab.store.setState({ conflict: null, runCopy: null });
    const record = await readMain(tab);
    if (record) await loadRecord(tab, record);
  });

/** Makes this tab's graph the autosave again; the other tab's (with its weights) is kept as a version. */
export const keepMine = (tab: AutosaveTab) =>
  tab.enqueue(async () => {
    const current = await readMain(tab);
    const theirRun = (await readTrainedRecord(tab))?.record;
    const theirWeights = theirRun && theirRun.lineage === current?.lineage ? theirRun.weights : undefined;
    if (current && (current.tabId !== tab.tabId || (theirRun && theirRun.tabId !== tab.tabId))) {
      const doc =
        theirWeights && typeof current.doc === 'object' ? { ...current.doc, weights: theirWeights } : current.doc;
      await keepVersion(tab, 'conflict', `theirs-${current.savedAt}`, doc, current.viewport);
    }
    tab.store.setState({ conflict: null, runCopy: null });
    tab.base = current?.savedAt ?? tab.base;
    tab.trainedBase = theirRun?.savedAt ?? tab.trainedBase;
    tab.saved = null;
    tab.savedData = null;
    await saveNow(tab);
    await tab.storage.set(VERSIONS_KEY, removeVersion(await readVersions(tab), `conflict-${tab.tabId}`));
    await refreshVersions(tab);
  });
