// ONNX export: the inference graph (what `predict` computes) as an ONNX model, opset 13, encoded
// with onnx-proto's generated protobuf code. Weights are float32 initializers; dropout is the
// identity, as in `predict`.
import onnxProto, { type onnx } from 'onnx-proto';
import type { Model } from '../api.ts';
import type { GraphDoc } from '../format/types.ts';
import { float32Bytes } from '../format/weights.ts';
import { type ExportLayer, exportPlan, identifiers } from './plan.ts';

// NOTE: onnx-proto is CommonJS; Node's ESM loader only gives it a default export.
const proto = onnxProto.onnx;

export const ONNX_OPSET = 13;
/** IR version 7 goes with opset 13 (ONNX 1.8). */
export const ONNX_IR_VERSION = 7;

const ACTIVATION_OPS: Record<string, { op: string; attributes?: onnx.IAttributeProto[] }> = {
  identity: { op: 'Identity' },
  relu: { op: 'Relu' },
  leaky_relu: {
    op: 'LeakyRelu',
    attributes: [{ name: 'alpha', type: proto.AttributeProto.AttributeType.FLOAT, f: 0.01 }],
  },
  sigmoid: { op: 'Sigmoid' },
  tanh: { op: 'Tanh' },
  softmax: { op: 'Softmax', attributes: [{ name: 'axis', type: proto.AttributeProto.AttributeType.INT, i: -1 }] },
};

const intAttribute = (name: string, i: number): onnx.IAttributeProto => ({
  name,
  type: proto.AttributeProto.AttributeType.INT,
  i,
});

/**
 * The graph with the model's weights as an ONNX model: input `x` float32 `[batch, …inputShape]`
 * (symbolic batch axis), output `y` = what `model.predict` returns. Node names are the node ids
 * made into identifiers (each node's `docString` holds its id as written).
 *
 * @example
 * writeFileSync('xor.onnx', exportOnnx(doc, compile(doc)));
 */
export function exportOnnx(doc: GraphDoc, model: Model): Uint8Array {
  const plan = exportPlan(doc, model);
  // NOTE: ONNX names should be C identifiers; 'x' and 'y' are the graph's input and output.
  const names = identifiers(
    plan.layers.map((l) => l.id),
    new Set(['x', 'y']),
  );
  // NOTE: parameter names are made after the node names so that a node called "h_W" keeps its own.
  const paramNames = identifiers(
    plan.params.map((p) => p.key),
    new Set(['x', 'y', ...names.values()]),
  );
  const tensorOf = (id: string) => (id === plan.inputId ? 'x' : id === plan.predId ? 'y' : names.get(id)!);
  const nodes: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  for (const layer of plan.layers) {
    const name = names.get(layer.id)!;
    const inputs = layer.inputs.map(tensorOf);
    for (const p of layer.params) {
      const tensorName = paramNames.get(p.key)!;
      initializers.push({
        name: tensorName,
        dims: p.shape,
        dataType: proto.TensorProto.DataType.FLOAT,
        rawData: float32Bytes(p.value.data).slice(),
      });
      inputs.push(tensorName);
    }
    nodes.push({ name, docString: layer.id, input: inputs, output: [tensorOf(layer.id)], ...operator(layer) });
  }
  if (plan.predId === plan.inputId) nodes.push({ name: 'output', opType: 'Identity', input: ['x'], output: ['y'] });
  const predShape =
    plan.predId === plan.inputId ? plan.inputShape : plan.layers.find((l) => l.id === plan.predId)!.shape;
  const model_ = proto.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'nodegrad',
    docString: `Exported from the nodegrad graph "${plan.name}"`,
    graph: {
      name: plan.name || 'nodegrad',
      node: nodes,
      initializer: initializers,
      input: [valueInfo('x', plan.inputShape)],
      output: [valueInfo('y', predShape)],
    },
  });
  return proto.ModelProto.encode(model_).finish();
}

function operator(layer: ExportLayer): Pick<onnx.INodeProto, 'opType' | 'attribute'> {
  switch (layer.type) {
    case 'dense':
      return { opType: 'Gemm' };
    case 'activation': {
      const a = ACTIVATION_OPS[layer.data.fn as string]!;
      return { opType: a.op, attribute: a.attributes ?? [] };
    }
    case 'add':
      return { opType: 'Add' };
    case 'concat':
      return { opType: 'Concat', attribute: [intAttribute('axis', -1)] };
    case 'flatten':
      return { opType: 'Flatten', attribute: [intAttribute('axis', 1)] };
    case 'dropout':
      // NOTE: inference only: dropout is the identity in `predict`.
      return { opType: 'Identity' };
  }
}

/** A float32 tensor `[batch, …shape]` with a symbolic batch axis. */
function valueInfo(name: string, shape: readonly number[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: proto.TensorProto.DataType.FLOAT,
        shape: { dim: [{ dimParam: 'batch' }, ...shape.map((d) => ({ dimValue: d }))] },
      },
    },
  };
}
