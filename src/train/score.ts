// Scoring with a trained output folder: the folder's pipeline.json, ir.json and model turn raw
// rows (the spec's test split, a CSV file, or JSON Lines records) into per-task predictions with
// exactly the transform used in training.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModelDir } from '../compiler/build/save.js';
import type { ModelIR } from '../compiler/ir.js';
import { readCsv } from '../data/csv.js';
import { DataError } from '../data/errors.js';
import { Pipeline } from '../data/pipeline.js';
import { withAvailableLabels } from '../data/derived-labels.js';
import { csvColumnTypes } from '../data/spec-data.js';
import {
  createTable,
  DEFAULT_NA_VALUES,
  numberColumn,
  stringColumn,
  type ColumnType,
  type Table,
} from '../data/table.js';
import { initBackend, type BackendPreference } from '../engine/backend.js';
import { UsageError } from '../util/diagnostics.js';
import type { Spec } from '../schema/spec-schema.js';
import { predictAll } from './evaluate.js';
import type { ModelData } from './dataset.js';
import { exportOnnx } from '../export/onnx/export.js';
import { loadOrt, readExportInput } from '../export/onnx/node.js';
import { createOnnxSession, type OrtEngine } from '../export/onnx/runtime.js';
import { toModelData } from './model-data.js';

export interface ModelFolder {
  dir: string;
  spec: Spec;
  ir: ModelIR;
  pipeline: Pipeline;
}

export function readModelFolder(dir: string): ModelFolder {
  for (const f of ['model.json', 'pipeline.json', 'ir.json', 'spec.json']) {
    if (!existsSync(join(dir, f)))
      throw new UsageError(
        `${dir} is not a compiled or trained output folder: ${f} is missing (run \`mmoe-compile train <spec>\` first)`,
      );
  }
  const read = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown;
  return {
    dir,
    spec: read('spec.json') as Spec,
    ir: read('ir.json') as ModelIR,
    pipeline: Pipeline.fromJSON(read('pipeline.json')),
  };
}

/**
 * Read records: .jsonl / .ndjson (one JSON object per line) or CSV (optionally .gz). Feature
 * columns are required (a CSV without one stops at its header; in JSON Lines a field absent from
 * every record is reported by the pipeline); label columns are optional, so unlabelled rows can
 * be scored. A field that is null, absent, or one of the spec's NA spellings is a missing value
 * (handled by the feature's missing.policy), in both formats alike.
 */
export async function readRecords(file: string, spec: Spec): Promise<Table> {
  if (!existsSync(file)) throw new UsageError(`cannot read ${file}: no such file`);
  const naValues = spec.data.source === 'csv' ? spec.data.naValues : DEFAULT_NA_VALUES;
  const na = new Set(naValues);
  if (/\.(jsonl|ndjson)$/i.test(file)) {
    const lines = readFileSync(file, 'utf8').split(/\r?\n/);
    const records: Record<string, unknown>[] = [];
    const recordLines: number[] = [];
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch (e) {
        throw new DataError(`${file}:${i + 1}: not valid JSON (${(e as Error).message})`);
      }
      if (!v || typeof v !== 'object' || Array.isArray(v))
        throw new DataError(`${file}:${i + 1}: each line must be a JSON object`);
      records.push(v as Record<string, unknown>);
      recordLines.push(i + 1);
    });
    const isMissing = (x: unknown) => x === null || x === undefined || (typeof x === 'string' && na.has(x));
    const types = csvColumnTypes(spec);
    const cols = new Map<string, ReturnType<typeof numberColumn> | ReturnType<typeof stringColumn>>();
    for (const [name, type] of Object.entries(types)) {
      if (!records.some((r) => Object.hasOwn(r, name))) continue;
      if (type === 'number') {
        const vals = records.map((r, i) => {
          const x = r[name];
          if (isMissing(x) || x === '') return NaN;
          const n = typeof x === 'number' ? x : Number(x);
          if (!Number.isFinite(n))
            throw new DataError(`${file}:${recordLines[i]}: "${name}" must be a number, got ${JSON.stringify(x)}`);
          return n;
        });
        cols.set(
          name,
          numberColumn(
            vals,
            vals.map((v) => (Number.isNaN(v) ? 1 : 0)),
          ),
        );
      } else {
        cols.set(
          name,
          stringColumn(
            records.map((r) =>
              isMissing(r[name]) ? null : Array.isArray(r[name]) ? (r[name] as unknown[]).join('|') : String(r[name]),
            ),
          ),
        );
      }
    }
    return createTable(cols, { file, lines: Uint32Array.from(recordLines) });
  }
  return (await readCsv(file, { types: featureColumnTypes(spec), naValues, otherColumns: 'string' })).table;
}

/** Column types of the columns the features read (labels are read as strings when present). */
function featureColumnTypes(spec: Spec): Record<string, ColumnType> {
  const all = csvColumnTypes(spec);
  const read = new Set(spec.features.flatMap((f) => (f.type === 'cross' ? [] : [f.column ?? f.name])));
  return Object.fromEntries(Object.entries(all).filter(([name]) => read.has(name)));
}

/** The engines `predict` can score with. */
export type ScoreEngine = 'tfjs' | OrtEngine;

export async function scoreTable(
  folder: ModelFolder,
  table: Table,
  backend: BackendPreference = 'auto',
  engine: ScoreEngine = 'tfjs',
) {
  // labels are optional when scoring: tasks whose label columns are absent get no label (a
  // derived label's columns are never model inputs unless they are features)
  const spec = withAvailableLabels(folder.spec, (c) => table.columns.has(c));
  const data = toModelData(spec, folder.ir, folder.pipeline, table);
  if (engine !== 'tfjs') return { backend: engine, data, preds: await predictAllOnnx(folder, data, engine) };
  const { tf, backend: used } = await initBackend(backend);
  const model = await loadModelDir(tf, folder.dir);
  const preds = await predictAll(tf, model, data);
  model.dispose();
  return { backend: used, data, preds };
}

/** predictAll on ONNX Runtime: the folder's model exported to ONNX in memory. */
async function predictAllOnnx(
  folder: ModelFolder,
  data: ModelData,
  engine: OrtEngine,
  batchSize = 2048,
): Promise<Map<string, Float32Array>> {
  const session = await createOnnxSession(await loadOrt(engine), exportOnnx(readExportInput(folder.dir)).bytes);
  try {
    // a multi-class output has K values per row
    const width = (n: string) => {
      const t = folder.ir.tasks.find((x) => x.name === n);
      return t?.type === 'multiclass' ? (t.classes?.length ?? 1) : 1;
    };
    const out = new Map(session.outputNames.map((n) => [n, new Float32Array(data.n * width(n))] as const));
    for (let start = 0; start < data.n; start += batchSize) {
      const end = Math.min(data.n, start + batchSize);
      const columns = session.inputNames.map((name) => {
        const col = data.inputs.get(name);
        if (!col) throw new Error(`the data has no column for model input "${name}"`);
        const part = col.data.subarray(start * col.width, end * col.width);
        const typed =
          (col.dtype === 'int32') === part instanceof Int32Array
            ? part
            : col.dtype === 'int32'
              ? Int32Array.from(part)
              : Float32Array.from(part);
        return { name, dtype: col.dtype, width: col.width, data: typed };
      });
      const ys = await session.run(columns, end - start);
      session.outputNames.forEach((n, k) => out.get(n)!.set(ys[k], start * width(n)));
    }
    return out;
  } finally {
    await session.release();
  }
}
