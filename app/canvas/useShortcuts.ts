import { useEffect, useRef } from 'react';
import type { GraphEdge, GraphNode } from '../../engine/index.ts';
import { useApp } from '../appContext.tsx';
import { matchShortcut } from '../editor/shortcuts.ts';
import { exportDocument } from '../io/files.ts';

/** Runs the actions of app/editor/shortcuts.ts; `onQuickAdd` opens the quick-add box. */
export function useShortcuts(onQuickAdd: () => void): void {
  const { editor } = useApp();
  const clipboard = useRef<{ nodes: GraphNode[]; edges: GraphEdge[]; pastes: number } | null>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing =
        e.target instanceof HTMLElement && e.target.closest('input, textarea, select, [contenteditable]') !== null;
      const action = matchShortcut(e, typing);
      if (!action) return;
      const s = editor.getState();
      switch (action) {
        case 'export':
          exportDocument(editor);
          break;
        case 'undo':
          editor.undo();
          break;
        case 'redo':
          editor.redo();
          break;
        case 'selectAll':
          editor.select(
            s.doc.nodes.map((n) => n.id),
            s.doc.edges.map((x) => x.id),
          );
          break;
        case 'copy': {
          const ids = new Set(s.selectedNodes);
          if (ids.size === 0) return;
          clipboard.current = {
            nodes: structuredClone(s.doc.nodes.filter((n) => ids.has(n.id))),
            edges: structuredClone(s.doc.edges.filter((x) => ids.has(x.source) && ids.has(x.target))),
            pastes: 0,
          };
          editor.notify('notice.copied', { n: ids.size });
          break;
        }
        case 'paste': {
          const c = clipboard.current;
          if (!c) return;
          c.pastes++;
          const offset = { x: 40 * c.pastes, y: 40 * c.pastes };
          const result = editor.run({ type: 'paste', nodes: c.nodes, edges: c.edges, offset });
          if (result.ok) editor.select(result.ids);
          break;
        }
        case 'quickAdd':
          onQuickAdd();
          break;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [editor, onQuickAdd]);
}
