// The autosave's records as stored, read defensively: whatever is under a key (another version of the
// app, an extension, a half-written save: a string, an object, [null]) is either a record of the right
// shape or kept aside as an unreadable version; nothing here throws on a value it reads.
import { type GraphWeights, snapshotProblem, type TrainingSnapshot } from '../../engine/index.ts';
import type { Viewport } from './editorState.ts';
import { VERSION_KINDS, type Version } from './versions.ts';

export interface DocRecord {
  doc: unknown;
  viewport: Viewport | null;
  tabId: string;
  savedAt: number;
  /** Identifies one document's history across saves and reloads; the trained record must match it. */
  lineage: string;
  /** The data record (DATA_KEY) holding the inline datasets taken out of `doc`, if any. */
  data?: string;
}

export interface TrainedRecord {
  lineage: string;
  savedAt: number;
  /** The tab that trained this run (absent in records of older versions). */
  tabId?: string | undefined;
  weights: GraphWeights;
  trained?: TrainingSnapshot | undefined;
}

/** The record of nodegrad ≤ 0.1: document and weights together. */
export interface LegacyRecord {
  doc: unknown;
  weights?: GraphWeights | undefined;
  viewport: Viewport | null;
  tabId: string;
  savedAt: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function viewportOf(v: unknown): Viewport | null {
  if (!isObject(v)) return null;
  const { x, y, zoom } = v;
  return isTime(x) && isTime(y) && isTime(zoom) && zoom > 0 ? { x, y, zoom } : null;
}

/** Weights as a document holds them: node id → parameter name → encoded tensor (checked on compile). */
function isWeights(v: unknown): v is GraphWeights {
  return isObject(v) && Object.values(v).every(isObject);
}

/** The main record, or null when what is stored is not one (then it is kept aside as unreadable). */
export function docRecordOf(raw: unknown): DocRecord | null {
  if (!isObject(raw) || !('doc' in raw) || !isTime(raw.savedAt)) return null;
  if (typeof raw.tabId !== 'string' || typeof raw.lineage !== 'string') return null;
  const record: DocRecord = {
    doc: raw.doc,
    viewport: viewportOf(raw.viewport),
    tabId: raw.tabId,
    savedAt: raw.savedAt,
    lineage: raw.lineage,
  };
  if (typeof raw.data === 'string') record.data = raw.data;
  return record;
}

export function legacyRecordOf(raw: unknown): LegacyRecord | null {
  if (!isObject(raw) || !('doc' in raw) || !isTime(raw.savedAt) || typeof raw.tabId !== 'string') return null;
  const record: LegacyRecord = {
    doc: raw.doc,
    viewport: viewportOf(raw.viewport),
    tabId: raw.tabId,
    savedAt: raw.savedAt,
  };
  if (isWeights(raw.weights)) record.weights = raw.weights;
  return record;
}

/**
 * The trained record, or null when it is not one. A damaged training snapshot is left out (the
 * weights still come back) and `snapshotProblem` says what was wrong with it.
 */
export function trainedRecordOf(raw: unknown): { record: TrainedRecord; snapshotProblem: string | null } | null {
  if (!isObject(raw) || typeof raw.lineage !== 'string' || !isTime(raw.savedAt) || !isWeights(raw.weights)) return null;
  const record: TrainedRecord = { lineage: raw.lineage, savedAt: raw.savedAt, weights: raw.weights };
  if (typeof raw.tabId === 'string') record.tabId = raw.tabId;
  const problem = raw.trained === undefined ? null : snapshotProblem(raw.trained);
  if (raw.trained !== undefined && !problem) record.trained = raw.trained as TrainingSnapshot;
  return { record, snapshotProblem: problem };
}

/** Who wrote the trained record: written beside it, so a save need not read the weights to find out. */
export interface TrainedHead {
  lineage: string;
  tabId: string;
  savedAt: number;
}

export function trainedHeadOf(raw: unknown): TrainedHead | null {
  if (!isObject(raw) || typeof raw.lineage !== 'string' || typeof raw.tabId !== 'string' || !isTime(raw.savedAt))
    return null;
  return { lineage: raw.lineage, tabId: raw.tabId, savedAt: raw.savedAt };
}

const isVersion = (v: unknown): v is Version =>
  isObject(v) &&
  typeof v.id === 'string' &&
  (VERSION_KINDS as readonly unknown[]).includes(v.kind) &&
  isTime(v.savedAt) &&
  'doc' in v &&
  (v.viewport === null || viewportOf(v.viewport) !== null);

/**
 * The kept versions. A damaged entry (or a damaged list) is not dropped: it becomes an unreadable
 * version holding what was stored (ids stable across reads, so it can be downloaded or deleted).
 */
export function versionsOf(raw: unknown, savedAt: number): Version[] {
  if (raw === undefined || raw === null) return [];
  const unreadable = (doc: unknown, i: number): Version => ({
    id: `unreadable-version-${i}`,
    kind: 'unreadable',
    savedAt,
    doc,
    viewport: null,
  });
  if (!Array.isArray(raw)) return [unreadable(raw, 0)];
  return raw.flatMap((v, i) => (isVersion(v) ? [v] : v === null || v === undefined ? [] : [unreadable(v, i)]));
}

/**
 * Why storage refused a write, in words: a full quota says so (browsers give QuotaExceededError with
 * an empty or technical message). `QUOTA_FULL` is rendered by the status bar in the user's language.
 */
export const QUOTA_FULL = 'quota-full';
export function storageFailure(e: unknown): string {
  if (e instanceof Error && (e.name === 'QuotaExceededError' || (e as { code?: unknown }).code === 22))
    return QUOTA_FULL;
  if (!(e instanceof Error)) return String(e);
  const name = e.name && e.name !== 'Error' ? e.name : '';
  return name && e.message ? `${name}: ${e.message}` : name || e.message || 'unknown error';
}
