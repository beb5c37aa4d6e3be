// React Flow's node types, made once at module level from the engine's node definitions: every
// type gets the shared frame; its body comes from app/nodes/kinds/<type>.tsx when there is one.
import type { NodeProps, NodeTypes } from '@xyflow/react';
import { type ComponentType, memo } from 'react';
import { NODE_DEFINITIONS } from '../../engine/index.ts';
import { NodeTrainingOverlay } from '../train/NodeOverlay.tsx';
import { batchShape, NodeFrame } from './NodeFrame.tsx';
import { DEFAULT_NODE_BOX, type NodeBox } from './nodeLook.ts';
import type { CanvasNode, NodeBodyProps } from './types.ts';

interface KindModule {
  type: string;
  Body: ComponentType<NodeBodyProps>;
  /** The node's fixed box, when the default does not suit it. */
  box?: NodeBox;
}

// NOTE: each file in kinds/ registers itself by existing; adding a node type adds one file there.
const kinds = import.meta.glob<KindModule>('./kinds/*.tsx', { eager: true });
const BODIES = new Map(Object.values(kinds).map((k) => [k.type, k.Body]));
const BOXES = new Map(Object.values(kinds).map((k) => [k.type, k.box ?? DEFAULT_NODE_BOX]));

/** The fixed box of a node type on the canvas (CSS px at zoom 1). */
export const nodeBox = (type: string): NodeBox => BOXES.get(type) ?? DEFAULT_NODE_BOX;

/** The default body: the output shape. */
function ShapeBody({ data }: NodeBodyProps) {
  return <div className="ng-sub">{batchShape(data.info?.outputShape)}</div>;
}

/** Every node: the shared frame, its type's body, and what training shows on it. */
const CanvasNodeView = memo(({ data, selected }: NodeProps<CanvasNode>) => {
  const Body = BODIES.get(data.node.type) ?? ShapeBody;
  return (
    <NodeFrame data={data} selected={selected} box={nodeBox(data.node.type)}>
      <Body data={data} />
      <NodeTrainingOverlay nodeId={data.node.id} />
    </NodeFrame>
  );
});

export const nodeTypes: NodeTypes = Object.fromEntries(NODE_DEFINITIONS.map((def) => [def.type, CanvasNodeView]));
