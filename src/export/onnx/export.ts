// ModelIR + saved tfjs weights -> an ONNX model (opset 17) computing what the tfjs inference
// model computes. Graph inputs are named like the tfjs model's inputs (one per feature, then
// `scenario-index` when the model has it), with a symbolic batch axis; outputs are named like
// the tasks, [batch, 1] each. The feature pipeline is not part of the graph: records go through
// pipeline.json exactly as for the tfjs model.
import type { ModelIR } from '../../compiler/ir.js';
import type { ExportContext } from './context.js';
import { lowerFeatures, lowerScenario } from './features.js';
import { GraphBuilder } from './graph.js';
import { lowerLevel } from './levels.js';
import { lowerOutputs } from './outputs.js';
import { OPSET } from './proto.js';
import { SavedModel } from './weights.js';

export interface OnnxExportInput {
  ir: ModelIR;
  /** model.json, parsed. */
  modelJson: unknown;
  /** weights.bin (the weight files of model.json's manifest, concatenated). */
  weights: Uint8Array;
}

export interface OnnxExport {
  bytes: Uint8Array;
  inputs: string[];
  outputs: string[];
  opset: number;
}

export function exportOnnx({ ir, modelJson, weights }: OnnxExportInput): OnnxExport {
  for (const t of ir.embeddings) {
    if (t.vocabSize === null)
      throw new Error(
        `cannot export: embedding table "${t.name}" has no vocabulary size (compile or train the spec first)`,
      );
  }
  const m = new SavedModel(modelJson, weights);
  const g = new GraphBuilder(ir.name);
  for (const n of m.outputNames) g.reserve(n);
  const ctx: ExportContext = {
    g,
    m,
    ir,
    groups: new Map(),
    pools: new Map(),
    gates: new Map(),
    concats: new Map(),
    stacks: new Map(),
    scenarioInput: null,
    scenarioVector: null,
  };
  lowerFeatures(ctx);
  lowerScenario(ctx);
  const inputs = [...ir.features.map((f) => f.name), ...(ctx.scenarioInput ? [ctx.scenarioInput] : [])];
  if (m.inputNames.length > 0 && m.inputNames.join('\n') !== inputs.join('\n')) {
    throw new Error(
      `model.json's inputs (${m.inputNames.join(', ')}) are not ir.json's features (${inputs.join(', ')}): they come from different builds`,
    );
  }
  for (const level of ir.levels) lowerLevel(ctx, level);
  lowerOutputs(ctx);
  const unread = m.unread();
  if (unread.length > 0)
    throw new Error(
      `internal: the ONNX export did not use the weights ${unread.slice(0, 5).join(', ')}${unread.length > 5 ? ', ...' : ''}`,
    );
  const bytes = g.encode(
    `${ir.family.label} exported by mmoe-compile from ir.json + model.json; inputs as pipeline.json encodes them`,
  );
  return {
    bytes,
    inputs,
    outputs: m.outputNames.length > 0 ? m.outputNames : ir.tasks.map((t) => t.name),
    opset: OPSET,
  };
}
