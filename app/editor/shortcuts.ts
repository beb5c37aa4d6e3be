// Keyboard shortcuts, declared once as data: which keys trigger which editor action. The React
// hook (app/canvas/useShortcuts.ts) only matches events against this list.

export type ShortcutAction = 'undo' | 'redo' | 'selectAll' | 'copy' | 'paste' | 'export' | 'quickAdd';

export interface Shortcut {
  action: ShortcutAction;
  /** "mod" is Ctrl (Cmd on macOS). */
  keys: readonly string[];
  /** Also while typing in a field (Ctrl+S exports from anywhere). */
  whileTyping?: boolean;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'undo', keys: ['mod+z'] },
  { action: 'redo', keys: ['mod+shift+z', 'mod+y'] },
  { action: 'selectAll', keys: ['mod+a'] },
  { action: 'copy', keys: ['mod+c'] },
  { action: 'paste', keys: ['mod+v'] },
  { action: 'export', keys: ['mod+s'], whileTyping: true },
  { action: 'quickAdd', keys: ['/'] },
];

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

/** The action bound to a key event, or null. */
export function matchShortcut(e: KeyLike, typing: boolean): ShortcutAction | null {
  const parts: string[] = [];
  if (e.ctrlKey || e.metaKey) parts.push('mod');
  if (e.shiftKey && parts.length > 0) parts.push('shift');
  parts.push(e.key.toLowerCase());
  const combo = parts.join('+');
  const hit = SHORTCUTS.find((s) => s.keys.includes(combo));
  if (!hit || (typing && !hit.whileTyping)) return null;
  return hit.action;
}
