import type { Node } from '@xyflow/react';
import type { GraphNode, NodeInfo } from '../../engine/index.ts';

/** What each canvas node receives: its document node plus what the compiler knows about it. */
export interface CanvasNodeData extends Record<string, unknown> {
  node: GraphNode;
  info: NodeInfo | undefined;
  problems: string[];
  /** For the Input node: per-sample x and y shapes. */
  inputShape?: number[] | undefined;
  targetShape?: number[] | undefined;
}

export type CanvasNode = Node<CanvasNodeData>;

/** The body of one node type (app/nodes/kinds/<type>.tsx exports `type` and `Body`). */
export interface NodeBodyProps {
  data: CanvasNodeData;
}
