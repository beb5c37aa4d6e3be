import { Handle, Position } from '@xyflow/react';
import type { ReactNode } from 'react';
import { nodeDefinition } from '../../engine/index.ts';
import { useEditor } from '../appContext.tsx';
import { CATALOGUES, type MessageKey, translate } from '../i18n/catalogue.ts';
import { CATEGORY_COLOURS, type NodeBox } from './nodeLook.ts';
import type { CanvasNodeData } from './types.ts';

/** Height of a node's title bar (NODE_FONT_PX.title plus padding). */
const TITLE_PX = 21;

interface Props {
  data: CanvasNodeData;
  selected: boolean;
  box: NodeBox;
  children?: ReactNode;
}

/** The shared look of every node: title bar, named handles (from its definition), a problem badge. */
export function NodeFrame({ data, selected, box, children }: Props) {
  const lang = useEditor((s) => s.lang);
  /** "pred" / "予測": a port's label in the UI's language (its handle id stays). */
  const portLabel = (port: string) => {
    const key = `port.${port}`;
    return Object.hasOwn(CATALOGUES.en, key) ? translate(lang, key as MessageKey) : port;
  };
  const def = nodeDefinition(data.node.type);
  const color = CATEGORY_COLOURS[def.category];
  const problems = data.problems;
  // NOTE: handles are spread over the body, below the title bar, so port labels never cover the title.
  const handleTop = (i: number, n: number) => `calc(${TITLE_PX}px + (100% - ${TITLE_PX}px) * ${(i + 1) / (n + 1)})`;
  return (
    <div
      className={`ng-node${selected ? ' selected' : ''}${problems.length > 0 ? ' has-problem' : ''}${
        def.ports.inputs.length > 1 ? ' ng-multi-in' : ''
      }${def.ports.outputs.length > 1 ? ' ng-multi-out' : ''}`}
      style={{ borderColor: color, width: box.width, height: box.height }}
    >
      <div className="ng-node-title" style={{ background: color }}>
        <span>{def.text[lang].label}</span>
        <span className="ng-node-id" title={data.node.id}>
          {data.node.id}
        </span>
        {problems.length > 0 && (
          <span className="ng-badge" data-testid="node-problem-badge" title={problems.join('\n')}>
            !
          </span>
        )}
      </div>
      <div className="ng-node-body">{children}</div>
      {(
        [
          ['target', Position.Left, 'left', def.ports.inputs],
          ['source', Position.Right, 'right', def.ports.outputs],
        ] as const
      ).flatMap(([type, position, side, ports]) =>
        ports.map((port, i) => (
          <Handle key={port} id={port} type={type} position={position} style={{ top: handleTop(i, ports.length) }}>
            {ports.length > 1 && <span className={`ng-port-label ${side}`}>{portLabel(port)}</span>}
          </Handle>
        )),
      )}
    </div>
  );
}

/** `[B, 64]` for a per-sample shape. */
export function batchShape(shape: readonly number[] | undefined): string {
  return shape ? `[B, ${shape.join(', ')}]` : '[?]';
}
