// State shared by the lowerings while one ModelIR becomes one ONNX graph: the values made so
// far, by the IR names that read them (mirrors the State of compiler/build/model.ts).
import type { ModelIR, PoolIR } from '../../compiler/ir.js';
import type { GraphBuilder } from './graph.js';
import type { SavedModel } from './weights.js';

/** A value of the graph with its last-axis width (all values are [batch, width] unless noted). */
export interface Value {
  name: string;
  width: number;
}

export interface ExportContext {
  g: GraphBuilder;
  m: SavedModel;
  ir: ModelIR;
  groups: Map<string, Value>;
  /** Pool name -> expert outputs, each [B, k x width] holding k experts side by side. */
  pools: Map<string, { pieces: Value[]; pool: PoolIR }>;
  gates: Map<string, Value>;
  /** Concatenations already made, by what they concatenate. */
  concats: Map<string, Value>;
  /** Expert stacks [B, E, width] already made, by the pools they stack. */
  stacks: Map<string, string>;
  /** The `scenario-index` input [B, 1] int32, when the model has it. */
  scenarioInput: string | null;
  scenarioVector: Value | null;
}

export function internal(msg: string): Error {
  return new Error(`internal: ${msg}`);
}

/** Concatenate along the last axis (one value: itself). */
export function concat(ctx: ExportContext, parts: Value[], name: string): Value {
  if (parts.length === 1) return parts[0];
  return {
    name: ctx.g.op(
      'Concat',
      parts.map((p) => p.name),
      name,
      { axis: -1 },
    ),
    width: parts.reduce((n, p) => n + p.width, 0),
  };
}
