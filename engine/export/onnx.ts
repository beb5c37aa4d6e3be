// ONNX export: the inference graph (what `predict` computes) as an ONNX model, opset 13, encoded
// with onnx-proto's generated protobuf code. Each layer's operators come from its node module
// (plain data: op, inputs, outputs, attributes); weights and buffers are float32 initializers.
import onnxProto, { type onnx } from 'onnx-proto';
import type { Model } from '../compiler/types.ts';
import type { GraphDoc } from '../format/types.ts';
import { float32Bytes } from '../format/weights.ts';
import type { OnnxAttribute, OnnxNode } from '../nodes/index.ts';
import { exportPlan, identifiers, layerRules, layerView } from './plan.ts';

// NOTE: onnx-proto is CommonJS; Node's ESM loader only gives it a default export.
const proto = onnxProto.onnx;

export const ONNX_OPSET = 13;
/** IR version 7 goes with opset 13 (ONNX 1.8). */
export const ONNX_IR_VERSION = 7;

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
  const stateNames = identifiers(
    [...plan.params, ...plan.buffers].map((p) => p.key),
    new Set(['x', 'y', ...names.values()]),
  );
  const taken = new Set(['x', 'y', ...names.values(), ...stateNames.values()]);
  const fresh = (base: string) => {
    let name = base;
    for (let k = 2; taken.has(name); k++) name = `${base}_${k}`;
    taken.add(name);
    return name;
  };
  const tensorOf = (id: string) => (id === plan.inputId ? 'x' : id === plan.predId ? 'y' : names.get(id)!);
  const nodes: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  for (const layer of plan.layers) {
    const name = names.get(layer.id)!;
    const state = new Map([...layer.params, ...layer.buffers].map((p) => [p.name, p]));
    const emitted = layerRules(layer).onnx({
      layer: layerView(layer),
      data: layer.data as never,
      inputs: layer.inputs.map(tensorOf),
      output: tensorOf(layer.id),
      param(paramName, permutation) {
        const p = state.get(paramName);
        if (!p) throw new Error(`export: ${layer.id} has no parameter or buffer '${paramName}'`);
        const tensorName = permutation ? fresh(`${stateNames.get(p.key)!}_onnx`) : stateNames.get(p.key)!;
        const { dims, data } = permutation
          ? permute(p.shape, p.value.data, permutation)
          : { dims: p.shape, data: p.value.data };
        initializers.push({
          name: tensorName,
          dims,
          dataType: proto.TensorProto.DataType.FLOAT,
          rawData: float32Bytes(data).slice(),
        });
        return tensorName;
      },
      temp: (what) => fresh(`${name}_${what}`),
      ints(what, values) {
        const tensorName = fresh(`${name}_${what}`);
        initializers.push({
          name: tensorName,
          dims: [values.length],
          dataType: proto.TensorProto.DataType.INT64,
          int64Data: values,
        });
        return tensorName;
      },
    });
    emitted.forEach((n, i) => {
      nodes.push({
        name: i === 0 ? name : fresh(`${name}_${n.op}`),
        docString: layer.id,
        opType: n.op,
        input: n.inputs,
        output: n.outputs,
        attribute: attributes(n),
      });
    });
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

function attributes(n: OnnxNode): onnx.IAttributeProto[] {
  const T = proto.AttributeProto.AttributeType;
  return Object.entries(n.attributes ?? {}).map(([name, a]: [string, OnnxAttribute]) =>
    'int' in a
      ? { name, type: T.INT, i: a.int }
      : 'ints' in a
        ? { name, type: T.INTS, ints: a.ints }
        : { name, type: T.FLOAT, f: a.float },
  );
}

/** A row-major tensor with its axes reordered: output axis i is input axis `order[i]` (numpy's transpose). */
export function permute(
  shape: readonly number[],
  data: Float32Array,
  order: readonly number[],
): { dims: number[]; data: Float32Array } {
  const dims = order.map((a) => shape[a]!);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1));
  const out = new Float32Array(data.length);
  const index = new Array<number>(dims.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < dims.length; i++) src += index[i]! * strides[order[i]!]!;
    out[o] = data[src]!;
    for (let i = dims.length - 1; i >= 0; i--) {
      if (++index[i]! < dims[i]!) break;
      index[i] = 0;
    }
  }
  return { dims, data: out };
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
