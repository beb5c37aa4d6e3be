import { useReactFlow } from '@xyflow/react';
import type { DragEvent } from 'react';
import type { NodeType } from '../../engine/index.ts';
import { PALETTE_MIME } from '../canvas/Canvas.tsx';
import { NODE_TYPE_LIST } from '../nodeTypes.ts';
import { commands } from '../store/commands.ts';
import { useEditor } from '../store/documentStore.ts';

/** Adds a node at the centre of the visible canvas and selects it. */
export function useAddAtCentre() {
  const flow = useReactFlow();
  return (type: NodeType) => {
    const box = document.querySelector('.ng-canvas')?.getBoundingClientRect();
    const centre = box
      ? flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 })
      : { x: 0, y: 0 };
    const { run, select } = useEditor.getState();
    run(commands.addNode(type, { x: centre.x - 80 + Math.random() * 40, y: centre.y - 30 + Math.random() * 40 }));
    const added = useEditor.getState().doc.nodes.at(-1);
    if (added) select([added.id]);
  };
}

/** Every node type: drag onto the canvas, or double-click to add at the centre. */
export function Palette() {
  const addAtCentre = useAddAtCentre();
  const onDragStart = (event: DragEvent, type: NodeType) => {
    event.dataTransfer.setData(PALETTE_MIME, type);
    event.dataTransfer.effectAllowed = 'move';
  };
  return (
    <aside className="ng-palette" aria-label="Node palette">
      <h2>Nodes</h2>
      {NODE_TYPE_LIST.map((spec) => (
        <div
          key={spec.type}
          className="ng-palette-item"
          data-testid={`palette-${spec.type}`}
          draggable
          onDragStart={(e) => onDragStart(e, spec.type)}
          onDoubleClick={() => addAtCentre(spec.type)}
          title={`${spec.description}. Drag onto the canvas or double-click.`}
          style={{ borderLeftColor: spec.color }}
        >
          <strong>{spec.label}</strong>
          <span>{spec.description}</span>
        </div>
      ))}
      <p className="ng-tip">
        Tip: press <kbd>/</kbd> to add a node by name.
      </p>
    </aside>
  );
}
