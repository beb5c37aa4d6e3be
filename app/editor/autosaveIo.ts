// Reading and writing one tab's autosave records: the kept versions, the main record (with its inline
// data put back, or the legacy record), the trained run, and a copy of this tab's run. Each read or
// write updates what the tab knows of the stored records (autosaveTab.ts).
import { parseGraph } from '../../engine/index.ts';
import {
  type DocRecord,
  docRecordOf,
  legacyRecordOf,
  storageFailure,
  type TrainedHead,
  type TrainedRecord,
  trainedHeadOf,
  trainedRecordOf,
  versionsOf,
} from './autosaveRecords.ts';
import { DATA_KEY, type DataRecord, dataRecordOf, putBackData, sameData, takeOutData } from './autosaveData.ts';
import type { AutosaveTab } from './autosaveTab.ts';
import { exportedDocument } from './documents.ts';
import type { EditorState, Viewport } from './editorState.ts';
import { DOC_KEY, LEGACY_KEY, TRAINED_HEAD_KEY, TRAINED_KEY } from './storageKeys.ts';
import { addVersion, VERSIONS_KEY, type VersionKind } from './versions.ts';

export const readVersions = async (tab: AutosaveTab) => versionsOf(await tab.storage.get(VERSIONS_KEY), tab.now());

export const refreshVersions = async (tab: AutosaveTab) => {
  tab.store.setState({ versions: await readVersions(tab) });
};

export const keepVersion = async (
  tab: AutosaveTab,
  kind: VersionKind,
  id: string,
  doc: unknown,
  viewport: Viewport | null,
) => {
  const next = addVersion(await readVersions(tab), { id, kind, savedAt: tab.now(), doc, viewport });
  await tab.storage.set(VERSIONS_KEY, next);
  tab.store.setState({ versions: next });
};

/**
 * The main record (or the legacy one) with its inline data put back; a damaged one reads as none
 * (restore keeps it aside first); one whose data record is missing keeps its stand-ins (unreadable).
 */
export const readMain = async (tab: AutosaveTab): Promise<DocRecord | undefined> => {
  const raw = await tab.storage.get(DOC_KEY);
  if (raw !== undefined) {
    const record = docRecordOf(raw) ?? undefined;
    if (!record?.data) return record;
    const data = dataRecordOf(await tab.storage.get(DATA_KEY));
    return { ...record, doc: putBackData(record.doc, record.data, data) };
  }
  const legacy = legacyRecordOf(await tab.storage.get(LEGACY_KEY));
  if (!legacy) return undefined;
  return { doc: legacy.doc, viewport: legacy.viewport, tabId: legacy.tabId, savedAt: legacy.savedAt, lineage: 'v1' };
};

/** The trained record as stored (any lineage), or undefined when there is none or it is damaged. */
export const readTrainedRecord = async (tab: AutosaveTab) =>
  trainedRecordOf(await tab.storage.get(TRAINED_KEY)) ?? undefined;

const readTrained = async (tab: AutosaveTab, record: DocRecord): Promise<TrainedRecord | undefined> => {
  if (record.lineage === 'v1') {
    const legacy = legacyRecordOf(await tab.storage.get(LEGACY_KEY));
    return legacy?.weights ? { lineage: 'v1', savedAt: record.savedAt, weights: legacy.weights } : undefined;
  }
  const read = await readTrainedRecord(tab);
  if (read?.record.lineage !== record.lineage) return undefined;
  // NOTE: the weights come back without the damaged optimizer state; the run continues with fresh moments.
  if (read.snapshotProblem) tab.editor.notify('notice.trainedStateDamaged', { reason: read.snapshotProblem });
  return read.record;
};

/** Loads the main record into the editor; throws GraphFormatError when it cannot be read. */
export const loadRecord = async (tab: AutosaveTab, record: DocRecord) => {
  const doc = parseGraph(record.doc);
  const trained = await readTrained(tab, record);
  tab.editor.load(doc, { weights: trained?.weights, trained: trained?.trained, viewport: record.viewport });
  const s = tab.editor.getState();
  tab.saved = { doc: s.doc, viewport: s.viewport, weights: s.weights, trained: s.trained };
  tab.savedData = null;
  tab.base = record.savedAt;
  tab.trainedBase = trained?.savedAt ?? null;
  tab.owner = record.tabId === tab.tabId;
  tab.lineage = record.lineage === 'v1' ? tab.newId() : record.lineage;
  tab.lineageRun = s.runId;
};

export const writeMain = async (tab: AutosaveTab, s: EditorState) => {
  // NOTE: inline data goes to its own record, written only when it changed (never on an edit elsewhere).
  const { doc, datasets } = takeOutData(s.doc);
  if (datasets.length > 0 && !sameData(datasets, tab.savedData?.datasets ?? null)) {
    const data: DataRecord = { id: tab.newId(), datasets };
    await tab.storage.set(DATA_KEY, data);
    tab.savedData = { id: data.id, datasets };
  }
  const record: DocRecord = { doc, viewport: s.viewport, tabId: tab.tabId, savedAt: tab.now(), lineage: tab.lineage };
  if (datasets.length > 0 && tab.savedData) record.data = tab.savedData.id;
  await tab.storage.set(DOC_KEY, record);
  tab.base = record.savedAt;
  tab.owner = true;
  return record.savedAt;
};

/** This tab's run in its own version: the graph with its weights (opening it brings them back). */
export const keepRunCopy = async (tab: AutosaveTab, s: EditorState) => {
  const id = `conflict-${tab.tabId}`;
  await keepVersion(tab, 'conflict', id, exportedDocument(s), s.viewport);
  return id;
};

export const writeTrained = async (tab: AutosaveTab, s: EditorState) => {
  try {
    // NOTE: the head, not the record: the record holds the weights (up to 200 MB) and this runs every 2 s.
    const theirs = trainedHeadOf(await tab.storage.get(TRAINED_HEAD_KEY));
    if (theirs && theirs.lineage === tab.lineage && theirs.tabId !== tab.tabId && theirs.savedAt !== tab.trainedBase) {
      // NOTE: another tab trained this graph since this tab last saw its run: theirs stays, ours is kept.
      if (s.weights) tab.store.setState({ runCopy: await keepRunCopy(tab, s) });
      return;
    }
    if (s.weights) {
      const record: TrainedRecord = {
        lineage: tab.lineage,
        savedAt: tab.now(),
        tabId: tab.tabId,
        weights: s.weights,
        trained: s.trained,
      };
      await tab.storage.set(TRAINED_KEY, record);
      const head: TrainedHead = { lineage: tab.lineage, tabId: tab.tabId, savedAt: record.savedAt };
      await tab.storage.set(TRAINED_HEAD_KEY, head);
      tab.trainedBase = record.savedAt;
    } else {
      await tab.storage.del(TRAINED_KEY);
      await tab.storage.del(TRAINED_HEAD_KEY);
    }
    tab.store.setState({ weightsError: null });
  } catch (e) {
    tab.store.setState({ weightsError: storageFailure(e) });
  }
};
