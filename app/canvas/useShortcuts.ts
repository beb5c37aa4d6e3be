import { useEffect, useRef } from 'react';
import type { GraphEdge, GraphNode } from '../../engine/index.ts';
import { exportDocument } from '../io/files.ts';
import { commands } from '../store/commands.ts';
import { useEditor } from '../store/documentStore.ts';

/** Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y, Ctrl+A, Ctrl+C / Ctrl+V, Ctrl+S (not while typing in a field). */
export function useShortcuts(): void {
  const clipboard = useRef<{ nodes: GraphNode[]; edges: GraphEdge[]; pastes: number } | null>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (!mod) return;
      const typing = e.target instanceof HTMLElement && e.target.closest('input, textarea, select, [contenteditable]');
      const key = e.key.toLowerCase();
      const s = useEditor.getState();
      if (key === 's') {
        e.preventDefault();
        exportDocument();
        return;
      }
      if (typing) return;
      if (key === 'z' && !e.shiftKey) s.undo();
      else if ((key === 'z' && e.shiftKey) || key === 'y') s.redo();
      else if (key === 'a')
        s.select(
          s.doc.nodes.map((n) => n.id),
          s.doc.edges.map((x) => x.id),
        );
      else if (key === 'c') {
        const ids = new Set(s.selectedNodes);
        if (ids.size === 0) return;
        clipboard.current = {
          nodes: structuredClone(s.doc.nodes.filter((n) => ids.has(n.id))),
          edges: structuredClone(s.doc.edges.filter((x) => ids.has(x.source) && ids.has(x.target))),
          pastes: 0,
        };
        s.notify(`Copied ${ids.size} node${ids.size === 1 ? '' : 's'}`);
      } else if (key === 'v') {
        const c = clipboard.current;
        if (!c) return;
        c.pastes++;
        const cmd = commands.paste(c.nodes, c.edges, { x: 40 * c.pastes, y: 40 * c.pastes });
        s.run(cmd);
        s.select(cmd.ids());
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
