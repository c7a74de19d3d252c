// Graph inputs and feature vectors, as compiler/build/model.ts's buildFeatures and
// buildScenario make them: numeric inputs as they are, embedding lookups reshaped to [B, D],
// sequences pooled over their non-padding ids (id 0), groups as concatenations, and the
// scenario embedding (row S is the unknown scenario).
import { needsScenarioInput } from '../../compiler/build/model.js';
import { layerName, SCENARIO_INPUT } from '../../compiler/build/names.js';
import type { FeatureIR } from '../../compiler/ir.js';
import { attentionPooled } from './attention.js';
import { concat, internal, type ExportContext, type Value } from './context.js';
import { FLOAT } from './graph.js';

function table(ctx: ExportContext, name: string, rows: number, dim: number): string {
  ctx.m.layer(name, 'Embedding');
  const w = ctx.m.weight(`${name}/embeddings`, [rows, dim]);
  return ctx.g.weight(`${name}/embeddings`, w.data, [rows, dim]);
}

/** Masked pooling of a sequence's lookups [B, L, D] over ids != 0 (custom-layers.ts MaskedSequencePooling). */
function pooled(ctx: ExportContext, f: FeatureIR, looked: string, ids: string): string {
  const g = ctx.g;
  const name = layerName.featurePool(f.name);
  const mode = String(ctx.m.layer(name, 'MaskedSequencePooling').config['mode']);
  const notPad = g.op('Not', [g.op('Equal', [ids, g.int32s([0])], `${name}_pad`)], `${name}_notpad`);
  const mask = g.op(
    'Unsqueeze',
    [g.op('Cast', [notPad], `${name}_maskf`, { to: FLOAT }), g.ints([-1])],
    `${name}_mask`,
  ); // [B, L, 1]
  const count = g.op('ReduceSum', [mask, g.ints([1])], `${name}_count`, { keepdims: 0 }); // [B, 1]
  if (mode === 'max') {
    // Padding pushed far below any embedding value; empty rows become 0.
    const penalty = g.op('Mul', [g.op('Sub', [g.scalar(1), mask], `${name}_inv`), g.scalar(1e9)], `${name}_penalty`);
    const best = g.op('ReduceMax', [g.op('Sub', [looked, penalty], `${name}_shifted`)], `${name}_max`, {
      axes: [1],
      keepdims: 0,
    });
    return g.op('Mul', [best, g.op('Min', [count, g.scalar(1)], `${name}_any`)], name);
  }
  const total = g.op(
    'ReduceSum',
    [g.op('Mul', [looked, mask], `${name}_masked`), g.ints([1])],
    mode === 'sum' ? name : `${name}_sum`,
    { keepdims: 0 },
  );
  if (mode === 'sum') return total;
  if (mode !== 'mean')
    throw new Error(`cannot export: sequence pooling "${mode}" of ${f.name} is not sum, mean or max`);
  return g.op('Div', [total, g.op('Max', [count, g.scalar(1)], `${name}_n`)], name);
}

export function lowerFeatures(ctx: ExportContext): void {
  const { g, ir } = ctx;
  const tables = new Map<string, string>();
  const vectors = new Map<string, Value>();
  const inputs = new Map<string, string>();
  const attended: { f: FeatureIR; looked: string; ids: string; weights: string; dim: number }[] = [];
  for (const f of ir.features) {
    if (f.kind === 'numeric') {
      vectors.set(f.name, { name: g.input(layerName.input(f.name), 'float32', [1]), width: 1 });
      continue;
    }
    const isSeq = f.kind === 'sequence';
    if (isSeq && !(f.maxLength && f.maxLength > 0)) throw internal(`sequence feature ${f.name} has no maxLength`);
    const ids = g.input(layerName.input(f.name), 'int32', [isSeq ? (f.maxLength ?? 0) : 1]);
    const t = ir.embeddings.find((e) => e.name === f.embedding);
    if (!t || t.vocabSize === null)
      throw internal(`feature ${f.name} reads unknown or unfitted embedding table ${String(f.embedding)}`);
    let weights = tables.get(t.name);
    if (!weights) {
      weights = table(ctx, layerName.table(t.name), t.vocabSize, t.dim);
      tables.set(t.name, weights);
    }
    inputs.set(f.name, ids);
    const looked = g.op('Gather', [weights, ids], `${f.name}_lookup`, { axis: 0 }); // [B, L, D]
    if (isSeq && f.attention) {
      attended.push({ f, looked, ids, weights, dim: t.dim }); // after the loop: its target's input may come later
      continue;
    }
    const v = isSeq
      ? pooled(ctx, f, looked, ids)
      : g.op('Reshape', [looked, g.ints([-1, t.dim])], layerName.featureVector(f.name));
    vectors.set(f.name, { name: v, width: t.dim });
  }
  for (const { f, looked, ids, weights, dim } of attended) {
    const targetIds = inputs.get(f.attention?.target ?? '');
    if (!targetIds) throw internal(`sequence ${f.name} attends to unknown feature ${String(f.attention?.target)}`);
    const target = g.op('Gather', [weights, targetIds], layerName.attentionTarget(f.name), { axis: 0 }); // [B, 1, D]
    vectors.set(f.name, { name: attentionPooled(ctx, f, looked, ids, target, dim), width: dim });
  }
  for (const grp of ir.groups) {
    const parts = grp.features.map((n) => {
      const v = vectors.get(n);
      if (!v) throw internal(`group ${grp.name} lists unknown feature ${n}`);
      return v;
    });
    const v = concat(ctx, parts, layerName.group(grp.name));
    if (v.width !== grp.width) throw internal(`group ${grp.name} is ${v.width} wide, the IR says ${grp.width}`);
    ctx.groups.set(grp.name, v);
  }
}

export function lowerScenario(ctx: ExportContext): void {
  const { g, ir } = ctx;
  if (!needsScenarioInput(ir) || !ir.scenario) return;
  ctx.scenarioInput = g.input(SCENARIO_INPUT, 'int32', [1]);
  if (!ir.levels.some((l) => l.gates.some((x) => x.scenarioAware)) && !ir.scenarioAuxiliary) return;
  const dim = ir.scenario.embeddingDim;
  const weights = table(ctx, layerName.scenarioTable, ir.scenario.values.length + 1, dim);
  const looked = g.op('Gather', [weights, ctx.scenarioInput], 'scenario_lookup', { axis: 0 });
  ctx.scenarioVector = { name: g.op('Reshape', [looked, g.ints([-1, dim])], layerName.scenarioVector), width: dim };
}
