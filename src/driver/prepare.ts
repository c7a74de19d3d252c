// Everything before the model: the spec's rows, the feature pipeline fitted on the training
// split, the IR with fitted vocabulary sizes, and model-ready train / validation / test data.
import { lowerChecked } from '../compiler/front.js';
import type { CostSummary } from '../compiler/cost.js';
import type { ModelIR } from '../compiler/ir.js';
import { embeddingName, type VocabSizes } from '../compiler/lower.js';
import { fitPipeline, type Pipeline } from '../data/pipeline.js';
import { loadSpecData } from '../data/spec-data.js';
import { seededSplit, selectRows, type Table } from '../data/table.js';
import { loadVocabularyFiles } from '../data/vocabulary-file.js';
import type { ReadPolicy } from '../schema/paths.js';
import type { Spec } from '../schema/spec-schema.js';
import { dirname, resolve } from 'node:path';
import { DataError } from '../data/errors.js';
import { subset, type ModelData } from '../train/dataset.js';
import { toModelData } from '../train/model-data.js';
import { describeLabelFrom, hasTrainingLabel } from '../schema/task-labels.js';

export interface Prepared {
  pipeline: Pipeline;
  ir: ModelIR;
  cost: CostSummary;
  train: ModelData;
  validation: ModelData;
  test: ModelData;
  trainTable: Table;
  testTable: Table;
  notes: string[];
}

export function fittedVocab(spec: Spec, pipeline: Pipeline): VocabSizes {
  const vocab: Record<string, number> = {};
  const byName = new Map(spec.features.map((f) => [f.name, f] as const));
  for (const inp of pipeline.inputs) {
    const f = byName.get(inp.name);
    if (!f || inp.vocabSize === undefined) continue;
    const t = embeddingName(f);
    vocab[t] = Math.max(vocab[t] ?? 0, inp.vocabSize);
  }
  return vocab;
}

export interface PrepareOptions {
  /** Only fit the pipeline and lower the IR (build does not need model-ready data). */
  fitOnly?: boolean;
  /** Which files the spec may name (LoadedSpec.policy); default: the root holding the spec. */
  policy?: ReadPolicy;
}

export async function prepare(
  spec: Spec,
  specFile: string,
  name: string,
  opts: PrepareOptions = {},
): Promise<Prepared> {
  const data = await loadSpecData(spec, specFile, opts.policy);
  const vocabularyFiles = await loadVocabularyFiles(spec.features, dirname(resolve(specFile)), opts.policy);
  const naValues = spec.data.source === 'csv' ? spec.data.naValues : undefined;
  // The pipeline is fitted on the training split proper (validation rows held out first).
  const split = seededSplit(data.train.rowCount, spec.training.validationFraction, spec.training.seed, 'validation');
  if (split.kept.length === 0 || (spec.training.validationFraction > 0 && split.heldOut.length === 0)) {
    throw new DataError(
      `${trainName(spec)}: the ${split.kept.length === 0 ? 'training' : 'validation'} split is empty (${data.train.rowCount} training rows, validationFraction ${spec.training.validationFraction}); add rows or change training.validationFraction`,
      { path: '/training/validationFraction', code: 'data-split' },
    );
  }
  const fitTable = selectRows(data.train, split.kept);
  const pipeline = fitPipeline(spec.features, fitTable, { vocabularyFiles, ...(naValues ? { naValues } : {}) });
  const { ir, cost } = lowerChecked(spec, name, fittedVocab(spec, pipeline));
  const empty: ModelData = { n: 0, inputs: new Map(), labels: new Map(), masks: new Map() };
  if (opts.fitOnly)
    return {
      pipeline,
      ir,
      cost,
      train: empty,
      validation: empty,
      test: empty,
      trainTable: data.train,
      testTable: data.test,
      notes: data.notes,
    };
  const all = toModelData(spec, ir, pipeline, data.train);
  checkLabelsVary(spec, all);
  const notes = [...data.notes];
  if (all.skipped)
    notes.push(`training data: ${all.skipped} rows skipped by missing-value policy (first: ${all.skipReasons[0]})`);
  // Rows skipped by the pipeline shift indices: split the transformed rows by their table row.
  const heldOut = new Set(split.heldOut);
  const t = { train: [] as number[], validation: [] as number[] };
  all.rows.forEach((r, i) => (heldOut.has(r) ? t.validation : t.train).push(i));
  const test = toModelData(spec, ir, pipeline, data.test);
  if (test.skipped) notes.push(`test data: ${test.skipped} rows skipped by missing-value policy`);
  return {
    pipeline,
    ir,
    cost,
    train: subset(all, t.train),
    validation: subset(all, t.validation),
    test,
    trainTable: data.train,
    testTable: data.test,
    notes,
  };
}

function trainName(spec: Spec): string {
  return spec.data.source === 'csv' ? spec.data.train : `synthetic ${spec.data.generator} data`;
}

/** A label that never varies over the training rows teaches nothing (and a binary AUC is
 * undefined): refused, naming the task, its column and the value. */
function checkLabelsVary(spec: Spec, data: ModelData): void {
  for (const [i, task] of spec.tasks.entries()) {
    // an evaluation label (ESMM factor) trains nothing: a constant one only gives NaN metrics
    if (!hasTrainingLabel(task)) continue;
    const labelKey = task.labelFrom ? 'labelFrom' : 'label';
    const at = {
      path: `/tasks/${i}/${task.sampleSpace ? 'sampleSpace' : labelKey}`,
      code: 'data-constant-label',
    } as const;
    const labels = data.labels.get(task.name);
    const mask = data.masks.get(task.name);
    if (labels === undefined || mask === undefined) continue;
    let first: number | undefined;
    let varies = false;
    for (let i = 0; i < labels.length && !varies; i++) {
      if (mask[i] === 0) continue;
      if (first === undefined) first = labels[i];
      else if (labels[i] !== first) varies = true;
    }
    if (varies) continue;
    const where = `${trainName(spec)}: task "${task.name}" (${task.labelFrom ? `label ${describeLabelFrom(task.labelFrom)}` : `label column "${task.label}"`})`;
    if (first === undefined)
      throw new DataError(`${where}: no training row has a label in the task's sample space`, at);
    const value = (task.type ?? 'binary') === 'binary' ? (first === 1 ? 'positive' : 'negative') : `${first}`;
    throw new DataError(`${where}: the label is constant (every counted training row is ${value}); nothing to learn`, {
      ...at,
      path: `/tasks/${i}/${labelKey}`,
    });
  }
}
