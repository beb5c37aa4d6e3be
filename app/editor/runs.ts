// Documents and runs: making a new history present (a command, undo, redo) and what it means for the
// run, a new document outside the history, a new run of the same document, and trained weights joining
// the run they were trained in (DESIGN.md, "Truth on screen").
import type { StoreApi } from 'zustand/vanilla';
import { analyzeGraph, type GraphDoc, type GraphWeights, type TrainingSnapshot } from '../../engine/index.ts';
import type { CommandEffect } from './commands.ts';
import { rememberData } from './checkedData.ts';
import { exportedDocument, pruneWeights } from './documents.ts';
import type { EditorChange, EditorState, Viewport } from './editorState.ts';
import type { History } from './history.ts';

/** The editor's actions on documents and runs (part of Editor). */
export interface RunActions {
  /** Starts a new run of the same document (Reset: untrained; a branch; a recovery: the weights kept). */
  newRun(cause: 'reset' | 'branch' | 'recover'): number;
  /** Starts a new document (one parseGraph gave) outside the undo history (startup example, autosave restore, other tab). */
  load(
    doc: GraphDoc,
    options?: {
      weights?: GraphWeights | undefined;
      trained?: TrainingSnapshot | undefined;
      viewport?: Viewport | null;
    },
  ): void;
  /** The trained weights of run `rev.runId` at `rev.step` (and the run state that goes with them), from the
   * training worker; ignored when that run is not the current one. */
  setWeights(rev: { runId: number; step: number }, weights: GraphWeights, trained?: TrainingSnapshot): void;
  /** Shows a share link's graph (its weights when it carries them) without it becoming the user's yet. */
  viewShared(doc: GraphDoc, verified: boolean): void;
  /** The shared graph was kept or left: the editor is the user's again. */
  endShared(): void;
}

/**
 * Makes `history` the present. `effect` says what it changed for training; a new document brings
 * its own weights (`arriving`), an edit keeps those that still fit, each in a new run.
 */
export type Commit = (
  history: History<GraphDoc>,
  effect: CommandEffect,
  arriving?: { weights: GraphWeights | undefined; trained: TrainingSnapshot | undefined },
) => void;

/** The run actions and the commit that applying commands, undo and redo go through. */
export function createRuns(
  store: StoreApi<EditorState>,
  tell: (change: EditorChange) => void,
  notify: (key: string) => void,
): { commit: Commit; actions: RunActions } {
  const commit: Commit = (history, effect, arriving) => {
    const s = store.getState();
    if (history === s.history) return;
    const doc = history.present;
    const analysis = analyzeGraph(doc);
    const document = effect === 'document';
    const newRun = document || effect === 'run';
    const weights = document ? pruneWeights(arriving?.weights, analysis) : pruneWeights(s.weights, analysis);
    const dropped =
      !document && s.weights !== undefined && Object.keys(s.weights).length !== Object.keys(weights ?? {}).length;
    const ids = new Set(doc.nodes.map((n) => n.id));
    const edgeIds = new Set(doc.edges.map((e) => e.id));
    const runId = newRun ? s.runId + 1 : s.runId;
    store.setState({
      history,
      doc,
      analysis,
      weights,
      // NOTE: an edited graph's run starts at step 0 from the weights that fit; only a document that
      // arrives trained brings its counters and optimizer state.
      weightsStep: weights ? (newRun ? 0 : s.weightsStep) : null,
      trained: weights ? (document ? arriving?.trained : newRun ? undefined : s.trained) : undefined,
      revision: s.revision + 1,
      runId,
      example: document ? null : s.example,
      livePositions: new Map(),
      selectedNodes: s.selectedNodes.filter((id) => ids.has(id)),
      selectedEdges: s.selectedEdges.filter((id) => edgeIds.has(id)),
    });
    if (dropped) notify('notice.weightsDropped');
    if (document && s.weights) tell({ type: 'run', runId, cause: 'document', replaced: exportedDocument(s) });
    else if (newRun) tell({ type: 'run', runId, cause: document ? 'document' : 'edit' });
    else if (effect !== 'layout') tell({ type: 'setting', setting: effect });
  };

  const actions: RunActions = {
    newRun(cause) {
      const s = store.getState();
      const runId = s.runId + 1;
      // NOTE: Reset starts untrained and a branch waits for the worker's weights of the snapshot: the old
      // run's latest weights must not be saved as the new run's.
      const keep = cause === 'recover' && s.weights !== undefined;
      store.setState({
        runId,
        weights: keep ? s.weights : undefined,
        weightsStep: keep ? 0 : null,
        trained: keep ? s.trained : undefined,
        revision: s.revision + 1,
      });
      tell({ type: 'run', runId, cause });
      return runId;
    },
    load(doc, { weights, trained, viewport = null } = {}) {
      rememberData(doc);
      const analysis = analyzeGraph(doc);
      const kept = pruneWeights(weights, analysis);
      const runId = store.getState().runId + 1;
      store.setState((s) => ({
        history: { present: doc, past: [], future: [] },
        doc,
        analysis,
        weights: kept,
        weightsStep: kept ? 0 : null,
        trained: kept ? trained : undefined,
        viewport,
        runId,
        revision: s.revision + 1,
        example: null,
        selectedNodes: [],
        selectedEdges: [],
        livePositions: new Map(),
        externalErrors: new Map(),
        importProblems: null,
      }));
      tell({ type: 'run', runId, cause: 'document' });
    },
    setWeights(rev, weights, trained) {
      const s = store.getState();
      // NOTE: the one gate of the autosave's pairing: weights only ever join the run they were trained in.
      if (rev.runId !== s.runId) return;
      const kept = pruneWeights(weights, s.analysis);
      store.setState({
        weights: kept,
        weightsStep: kept ? rev.step : null,
        trained: kept ? trained : undefined,
        revision: s.revision + 1,
      });
    },
    viewShared(doc, verified) {
      actions.load(doc, { weights: doc.weights });
      store.setState({
        shared: { name: doc.name ?? '', withWeights: store.getState().weights !== undefined, verified },
      });
    },
    endShared() {
      store.setState({ shared: null });
    },
  };
  return { commit, actions };
}
