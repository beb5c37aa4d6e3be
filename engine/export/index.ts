// Code and model exports of a graph with its weights: ONNX, PyTorch and NumPy.
export { exportOnnx, ONNX_IR_VERSION, ONNX_OPSET } from './onnx.ts';
