import { useReactFlow } from '@xyflow/react';
import type { DragEvent } from 'react';
import { NODE_DEFINITIONS, type NodeType } from '../../engine/index.ts';
import { useApp, useEditor, useT } from '../appContext.tsx';
import { PALETTE_MIME } from '../canvas/Canvas.tsx';
import { placementAt } from '../canvas/visibleArea.ts';
import { CATEGORY_COLOURS } from '../nodes/nodeLook.ts';

/** Adds a node at the centre of the visible canvas and selects it. */
export function useAddAtCentre() {
  const flow = useReactFlow();
  const { editor } = useApp();
  return (type: NodeType, data?: Record<string, unknown>) => {
    const box = document.querySelector('.ng-canvas')?.getBoundingClientRect();
    const centre = box
      ? flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 })
      : { x: 0, y: 0 };
    const result = editor.run({
      type: 'addNode',
      nodeType: type,
      ...placementAt(flow, type, centre),
      ...(data ? { data: data as never } : {}),
    });
    if (result.ok) editor.select(result.ids);
  };
}

/** Every node type: drag onto the canvas, or double-click to add at the centre. */
export function Palette() {
  const addAtCentre = useAddAtCentre();
  const lang = useEditor((s) => s.lang);
  const t = useT();
  const onDragStart = (event: DragEvent, type: NodeType) => {
    event.dataTransfer.setData(PALETTE_MIME, type);
    event.dataTransfer.effectAllowed = 'move';
  };
  return (
    <aside className="ng-palette" aria-label={t('palette.label')}>
      <h2>{t('palette.title')}</h2>
      {NODE_DEFINITIONS.map((def) => (
        <div
          key={def.type}
          className="ng-palette-item"
          data-testid={`palette-${def.type}`}
          draggable
          onDragStart={(e) => onDragStart(e, def.type)}
          onDoubleClick={() => addAtCentre(def.type)}
          title={t('palette.itemHint', { description: def.text[lang].description })}
          style={{ borderLeftColor: CATEGORY_COLOURS[def.category] }}
        >
          <strong>{def.text[lang].label}</strong>
        </div>
      ))}
      <p className="ng-tip">
        {t('palette.tipBefore')}
        <kbd>/</kbd>
        {t('palette.tipAfter')}
      </p>
    </aside>
  );
}
