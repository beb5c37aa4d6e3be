// Code and model exports of a graph with its weights: ONNX, PyTorch and NumPy.
export { exportNumpy } from './numpy.ts';
export { exportOnnx, ONNX_IR_VERSION, ONNX_OPSET } from './onnx.ts';
export type { PythonOptions } from './python.ts';
export { exportPyTorch } from './pytorch.ts';
