import { useState } from 'react';
import { type ActivationFn, type LossFn, NODE_DEFINITIONS, type NodeType } from '../../engine/index.ts';
import { useEditor, useT } from '../appContext.tsx';
import { useAddAtCentre } from './Palette.tsx';

interface Match {
  key: string;
  type: NodeType;
  label: string;
  description: string;
  data?: Record<string, unknown>;
}

// Functions a learner types by name: "relu" adds an Activation with relu, "mse" a Loss with mse.
const ACTIVATIONS: readonly ActivationFn[] = ['relu', 'leaky_relu', 'sigmoid', 'tanh', 'softmax', 'identity'];
const LOSSES: readonly LossFn[] = ['mse', 'squared_error', 'cross_entropy', 'binary_cross_entropy'];

/** "/" opens a search box: type "den" + Enter to add a Dense node, "relu" for a ReLU activation. */
export function QuickAdd({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [query, setQuery] = useState('');
  const addAtCentre = useAddAtCentre();
  const lang = useEditor((s) => s.lang);
  const t = useT();
  if (!open) return null;
  const q = query
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  const all: Match[] = [
    ...NODE_DEFINITIONS.map((d) => ({
      key: d.type,
      type: d.type,
      label: d.text[lang].label,
      description: d.text[lang].description,
    })),
    ...ACTIVATIONS.map((fn) => ({
      key: `activation:${fn}`,
      type: 'activation' as const,
      label: fn,
      description: t('quickAdd.activation', { fn }),
      data: { fn },
    })),
    ...LOSSES.map((fn) => ({
      key: `loss:${fn}`,
      type: 'loss' as const,
      label: fn,
      description: t('quickAdd.loss', { fn }),
      data: { fn },
    })),
  ];
  const matches = all.filter(
    (m) =>
      m.key.includes(q) || m.label.toLowerCase().includes(q) || m.label.toLowerCase().replace(/ /g, '_').includes(q),
  );
  const close = () => {
    setQuery('');
    onClose();
  };
  return (
    <div className="ng-quickadd" role="dialog" aria-label={t('quickAdd.label')}>
      <input
        ref={(el) => el?.focus()}
        data-testid="quick-add"
        placeholder={t('quickAdd.placeholder')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onBlur={close}
        onKeyDown={(e) => {
          if (e.key === 'Escape') close();
          if (e.key === 'Enter' && matches[0]) {
            addAtCentre(matches[0].type, matches[0].data);
            close();
          }
        }}
      />
      <ul>
        {matches.map((m, i) => (
          <li key={m.key} className={i === 0 ? 'first' : ''}>
            {m.label} <span>{m.description}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
