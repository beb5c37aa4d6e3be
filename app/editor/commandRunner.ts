// Applying commands as undo steps: new nodes placed in free space, the one gate (the result must be a
// document parseGraph accepts, or the command is refused with the reason), undo and redo, and each
// step's command remembered for its label and for what it changed.
import type { StoreApi } from 'zustand/vanilla';
import { edgeProblem, type GraphDoc, GraphFormatError, parseGraph } from '../../engine/index.ts';
import { type Command, commandEffect, commandLabel, performCommand } from './commands.ts';
import { execute, type History, redo, undo } from './history.ts';
import { rememberData, withoutCheckedData } from './checkedData.ts';
import type { EditorState, Refusal, RunResult } from './editorState.ts';
import { freePasteOffset, freePosition } from './placement.ts';
import type { Commit } from './runs.ts';

/** The editor's actions on the undo history (part of Editor). */
export interface CommandActions {
  /** Applies a command as one undo step; refused (no change) when the result would not be a valid document. */
  run(command: Command): RunResult;
  undo(): void;
  redo(): void;
  /** The label of the undo / redo step (for tooltips). */
  undoLabel(): ReturnType<typeof commandLabel> | null;
  redoLabel(): ReturnType<typeof commandLabel> | null;
}

function refusalOf(e: unknown): Refusal {
  if (e instanceof GraphFormatError) {
    const first = e.problems[0]!;
    return { code: first.code, params: first.params, message: first.message, path: first.path };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'format.invalid', params: { detail: message }, message };
}

/** New nodes land in free space: an add or a paste is moved to the nearest spot where it covers no node. */
function placed(command: Command, s: EditorState): Command {
  if (command.type === 'addNode')
    return {
      ...command,
      position: freePosition(s.doc, s.measured, command.position, command.placement?.size, command.placement?.within),
    };
  if (command.type === 'insertNode' && !command.moves)
    return { ...command, position: freePosition(s.doc, s.measured, command.position) };
  if (command.type === 'paste')
    return { ...command, offset: freePasteOffset(s.doc, s.measured, command.nodes, command.offset) };
  return command;
}

interface Entry {
  command: Command;
}

/** `commit` makes the new history present (runs.ts); `notify` shows why a command was refused. */
export function createCommandActions(
  store: StoreApi<EditorState>,
  commit: Commit,
  notify: (key: string, params: Readonly<Record<string, string | number>>) => void,
): CommandActions {
  const commands = new WeakMap<object, Entry>();

  const labelOf = (entry: History<GraphDoc>['past'][number] | undefined) => {
    const c = entry && commands.get(entry)?.command;
    return c ? commandLabel(c) : null;
  };

  const actions: CommandActions = {
    run(requested) {
      const s = store.getState();
      const command = placed(requested, s);
      if (command.type === 'connect') {
        const problem = edgeProblem(s.doc, command);
        if (problem)
          return { ok: false, reason: { code: problem.code, params: problem.params, message: problem.message } };
      }
      let ids: string[] = [];
      const history = execute(s.history, command.type, (draft) => {
        ids = performCommand(draft, command);
      });
      if (history === s.history) return { ok: true, ids };
      try {
        // NOTE: the one gate: whatever a command produces must be a document parseGraph accepts.
        parseGraph(withoutCheckedData(history.present));
        rememberData(history.present);
      } catch (e) {
        const reason = refusalOf(e);
        notify('notice.refused', { reason: reason.message });
        return { ok: false, reason };
      }
      commands.set(history.past[history.past.length - 1]!, { command });
      if (command.type === 'replaceDocument')
        store.setState({ selectedNodes: [], selectedEdges: [], externalErrors: new Map() });
      commit(
        history,
        commandEffect(command),
        command.type === 'replaceDocument' ? { weights: command.doc.weights, trained: command.trained } : undefined,
      );
      return { ok: true, ids };
    },
    undo() {
      const s = store.getState();
      const entry = s.history.past[s.history.past.length - 1];
      if (!entry) return;
      const c = commands.get(entry)?.command;
      // NOTE: undoing a document's opening brings the previous graph back untrained (its run is gone).
      commit(undo(s.history), c ? commandEffect(c) : 'run');
    },
    redo() {
      const s = store.getState();
      const entry = s.history.future[0];
      if (!entry) return;
      const c = commands.get(entry)?.command;
      commit(
        redo(s.history),
        c ? commandEffect(c) : 'run',
        c?.type === 'replaceDocument' ? { weights: c.doc.weights, trained: c.trained } : undefined,
      );
    },
    undoLabel() {
      const past = store.getState().history.past;
      return labelOf(past[past.length - 1]);
    },
    redoLabel() {
      return labelOf(store.getState().history.future[0]);
    },
  };
  return actions;
}
