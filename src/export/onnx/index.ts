// ONNX export of a compiled or trained model (browser-safe; node.ts reads and writes files).
export { exportOnnx, type OnnxExport, type OnnxExportInput } from './export.js';
export { BATCH_DIM } from './graph.js';
export { OPSET, PRODUCER } from './proto.js';
