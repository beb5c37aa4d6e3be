import { useEffect, useState } from 'react';
import { NODE_TYPE_LIST } from '../nodeTypes.ts';
import { useAddAtCentre } from './Palette.tsx';

/** "/" opens a search box: type "den" + Enter to add a Dense node. */
export function QuickAdd() {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const addAtCentre = useAddAtCentre();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLElement && e.target.closest('input, textarea, select');
      if (e.key === '/' && !typing) {
        e.preventDefault();
        setQuery('');
        setOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  if (!open) return null;
  const q = query.trim().toLowerCase();
  const matches = NODE_TYPE_LIST.filter((s) => s.type.includes(q) || s.label.toLowerCase().includes(q));
  return (
    <div className="ng-quickadd" role="dialog" aria-label="Add a node">
      <input
        ref={(el) => el?.focus()}
        data-testid="quick-add"
        placeholder="Add a node: dense, relu…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onBlur={() => setOpen(false)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setOpen(false);
          if (e.key === 'Enter' && matches[0]) {
            addAtCentre(matches[0].type);
            setOpen(false);
          }
        }}
      />
      <ul>
        {matches.map((m, i) => (
          <li key={m.type} className={i === 0 ? 'first' : ''}>
            {m.label} <span>{m.description}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
