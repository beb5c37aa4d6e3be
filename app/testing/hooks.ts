// The browser tests' hooks on `globalThis.nodegradTest` (installed by app/main.tsx).

/** The event `crashUi` sends: a component under the error boundary throws while rendering. */
export const CRASH_EVENT = 'nodegrad-test-crash';
export interface NodegradTestHooks {
  /** The training worker stops answering, as a hang or a crash would. */
  hangWorker(): void;
  /** Pauses training if it runs; does nothing otherwise (idempotent, so tests never check first). */
  pauseTraining(): void;
  /** A component throws while rendering, as a bug would: the crash screen shows. */
  crashUi(): void;
  /** The document as Export writes it (the graph with the weights of `data-weights-rev`). */
  exportText(): string;
  /**
   * How far the run held with those weights got (what the autosave writes beside them): epochs,
   * samples and the optimizer's step count (Adam's t: 1 after a first step from fresh moments); null
   * before any training.
   */
  trainedState(): { epoch: number; samples: number; optimizerStep: number } | null;
}
