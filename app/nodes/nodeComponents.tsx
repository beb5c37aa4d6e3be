// One memo'd component per node type, registered at module level as React Flow recommends.
import type { NodeProps, NodeTypes } from '@xyflow/react';
import { memo } from 'react';
import { PORTS } from '../../engine/index.ts';
import { activationPath } from './glyph.ts';
import { batchShape, NodeFrame } from './NodeFrame.tsx';
import { NodeExtras } from './NodeExtras.tsx';
import type { CanvasNode } from './types.ts';

const datasetLabel = (node: CanvasNode['data']['node']) => {
  if (node.type !== 'input') return '';
  const d = node.data.dataset;
  if (!d) return 'no dataset';
  if (d.kind === 'function') return `f(x) = ${d.expr}`;
  if (d.kind === 'mnist')
    return d.binaryDigit === undefined ? `MNIST ${d.train}/${d.test}` : `MNIST: is it a ${d.binaryDigit}?`;
  return d.kind;
};

export const InputNode = memo(({ data, selected }: NodeProps<CanvasNode>) => (
  <NodeFrame data={data} selected={selected} inputs={PORTS.input.inputs} outputs={PORTS.input.outputs}>
    <div className="ng-main">{datasetLabel(data.node)}</div>
    <div className="ng-sub">
      x {batchShape(data.inputShape)} · y {batchShape(data.targetShape)}
    </div>
    <NodeExtras nodeId={data.node.id} />
  </NodeFrame>
));

export const DenseNode = memo(({ data, selected }: NodeProps<CanvasNode>) => {
  const d = data.node.type === 'dense' ? data.node.data : { units: 0 };
  return (
    <NodeFrame data={data} selected={selected} inputs={PORTS.dense.inputs} outputs={PORTS.dense.outputs}>
      <div className="ng-main">
        {d.units} {d.units === 1 ? 'unit' : 'units'}
      </div>
      <div className="ng-sub">
        {d.init ?? 'glorot_uniform'} ·{' '}
        {data.info ? `${data.info.paramCount.toLocaleString('en-US')} params` : '? params'}
      </div>
      <NodeExtras nodeId={data.node.id} />
    </NodeFrame>
  );
});

export const ActivationNode = memo(({ data, selected }: NodeProps<CanvasNode>) => {
  const fn = data.node.type === 'activation' ? data.node.data.fn : 'identity';
  return (
    <NodeFrame data={data} selected={selected} inputs={PORTS.activation.inputs} outputs={PORTS.activation.outputs}>
      <div className="ng-main ng-row">
        <svg width="48" height="28" className="ng-glyph" aria-label={`${fn} curve`}>
          <line x1="0" y1="14" x2="48" y2="14" className="ng-axis" />
          <line x1="24" y1="0" x2="24" y2="28" className="ng-axis" />
          <path d={activationPath(fn)} />
        </svg>
        <span>{fn}</span>
      </div>
      {data.info?.fusedIntoLoss && <div className="ng-sub">fused into the loss</div>}
      <NodeExtras nodeId={data.node.id} />
    </NodeFrame>
  );
});

const Merge = (label: string, type: 'add' | 'concat') =>
  memo(({ data, selected }: NodeProps<CanvasNode>) => (
    <NodeFrame data={data} selected={selected} inputs={PORTS[type].inputs} outputs={PORTS[type].outputs}>
      <div className="ng-main">{label}</div>
      <div className="ng-sub">{batchShape(data.info?.outputShape)}</div>
      <NodeExtras nodeId={data.node.id} />
    </NodeFrame>
  ));
export const AddNode = Merge('a + b', 'add');
export const ConcatNode = Merge('[a, b]', 'concat');

export const LossNode = memo(({ data, selected }: NodeProps<CanvasNode>) => (
  <NodeFrame data={data} selected={selected} inputs={PORTS.loss.inputs} outputs={PORTS.loss.outputs}>
    <div className="ng-main">{data.node.type === 'loss' ? data.node.data.fn : ''}</div>
    <NodeExtras nodeId={data.node.id} />
  </NodeFrame>
));

export const nodeTypes: NodeTypes = {
  input: InputNode,
  dense: DenseNode,
  activation: ActivationNode,
  add: AddNode,
  concat: ConcatNode,
  loss: LossNode,
};
