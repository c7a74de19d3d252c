// A compiled or trained model folder, ready to score raw records: the same code runs in Node
// and in a browser bundle (no node: imports here; Node's file loading is in node.ts).
//
//   const servable = await loadServable('https://example.com/models/mmoe/', { tf });
//   const { scores, errors } = await servable.score([{ user_id: 'u1', user_age: 31, ... }]);
//   // scores[i]: { ctr: 0.031, cvr: 0.12 } per record, null where errors names the record
//
// A record goes through the fitted pipeline (Pipeline.transformRecord: exactly the training
// transform), plus the scenario index input when the model has one; valid records are scored
// in batches. A bad record gets errors of its own and the others still score.
//
// The model runs on tfjs (default) or ONNX Runtime (engine: 'onnxruntime' with onnxruntime-node,
// 'onnxruntime-web' with onnxruntime-web), handed in as `ort`; records, pipeline and errors are
// the same whatever the engine.
import type { LayersModel } from '@tensorflow/tfjs';
import { SCENARIO_INPUT } from '../compiler/build/names.js';
import { registerCustomLayers } from '../compiler/build/custom-layers.js';
import { modelArtifacts } from '../compiler/build/model-artifacts.js';
import type { ModelIR } from '../compiler/ir.js';
import { DataError } from '../data/errors.js';
import { Pipeline, type FeatureArray, type PipelineInput } from '../data/pipeline.js';
import { exportOnnx } from '../export/onnx/export.js';
import {
  ENGINES,
  ortRunner,
  tfjsRunner,
  type EngineName,
  type InputColumn,
  type OrtModule,
  type Runner,
  type Tf,
} from './engines.js';
import { fetchLoader, parseJson, readModelFiles, type FileLoader, type ModelFiles } from './files.js';
import { checkRecord, recordFields, recordScenarioIndex, type AbsentFields, type FieldInfo } from './records.js';

export type { Tf };

export interface ServableOptions {
  /** Which engine runs the model: 'tfjs' (default), 'onnxruntime' or 'onnxruntime-web' (both need `ort`). */
  engine?: EngineName;
  /** The caller's tfjs (with its backend already chosen); default: import('@tensorflow/tfjs'). */
  tf?: Tf;
  /**
   * The ONNX Runtime module for the onnxruntime engines: `import * as ort from 'onnxruntime-node'`
   * (engine 'onnxruntime') or `from 'onnxruntime-web'` (engine 'onnxruntime-web').
   */
  ort?: OrtModule;
  /** ONNX Runtime session options (e.g. { intraOpNumThreads: 1 }). */
  ortSessionOptions?: Record<string, unknown>;
  /** How to read a folder given by URL or path; default fetchLoader(source) (HTTP). */
  loader?: FileLoader;
  /** A field absent from a record: 'error' (default) or 'missing' (as if it were null). */
  absentFields?: AbsentFields;
  /** Records per model call (default 1024). */
  batchSize?: number;
}

export interface RecordError {
  /** Position of the record in the array given to score(). */
  index: number;
  /** The record field the problem is about, when there is one. */
  field?: string;
  message: string;
}

/** Per-task scores of one record: probability for binary tasks, the prediction for regression;
 * a multi-class task gives one probability per class, keyed `<task>:<class>` (classes in the
 * order of TaskInfo.classes), the same names as `predict`'s columns. */
export type TaskScores = Record<string, number>;

export interface ScoreResult {
  /** One entry per input record, in order; null for a record listed in `errors`. */
  scores: (TaskScores | null)[];
  /** Problems, by record index (a record may have several). */
  errors: RecordError[];
}

export interface TaskInfo {
  name: string;
  type: ModelIR['tasks'][number]['type'];
  /** Multi-class tasks: the classes, in output order. */
  classes?: readonly string[];
}

export interface Servable {
  readonly name: string;
  readonly tasks: readonly TaskInfo[];
  /** The fields a record needs (the spec's column names), in feature order. */
  readonly fields: readonly FieldInfo[];
  /** The scenario field and its values, when the model has a scenario input. */
  readonly scenario: { field: string; values: readonly string[] } | null;
  /** The engine running the model. */
  readonly engine: EngineName;
  /** The tfjs model (engine 'tfjs'); null on the ONNX Runtime engines. */
  readonly model: LayersModel | null;
  readonly pipeline: Pipeline;
  score(records: readonly unknown[]): Promise<ScoreResult>;
  dispose(): void;
}

/**
 * Load a model folder: its files already read ({ modelJson, weights, pipeline, ir }), or the
 * folder's URL / path, read through `options.loader` (default: fetch over HTTP).
 */
export async function loadServable(source: ModelFiles | string, options: ServableOptions = {}): Promise<Servable> {
  const engine = options.engine ?? 'tfjs';
  if (!(ENGINES as readonly string[]).includes(engine))
    throw new Error(`engine must be one of ${ENGINES.join(', ')}, got ${String(engine)}`);
  if (engine !== 'tfjs' && !options.ort) {
    throw new Error(
      `engine "${engine}" needs the ONNX Runtime module as options.ort (import * as ort from '${engine === 'onnxruntime' ? 'onnxruntime-node' : 'onnxruntime-web'}')`,
    );
  }
  const files = typeof source === 'string' ? await readModelFiles(options.loader ?? fetchLoader(source)) : source;
  const pipeline = Pipeline.fromJSON(parseJson(files.pipeline, 'pipeline.json'));
  const ir = readIr(parseJson(files.ir, 'ir.json'));
  const modelJson = parseJson(files.modelJson, 'model.json');
  const weights = files.weights instanceof Uint8Array ? files.weights : new Uint8Array(files.weights);
  let runner: Runner;
  let model: LayersModel | null = null;
  if (engine === 'tfjs') {
    const tf = options.tf ?? ((await import('@tensorflow/tfjs')) as Tf);
    registerCustomLayers(tf);
    model = await tf.loadLayersModel({ load: async () => modelArtifacts(modelJson, weights) });
    runner = tfjsRunner(tf, model);
  } else {
    const bytes = files.onnx ?? exportOnnx({ ir, modelJson, weights }).bytes;
    runner = await ortRunner(engine, options.ort!, bytes, options.ortSessionOptions);
  }
  try {
    return new ServableModel(runner, model, pipeline, ir, options);
  } catch (err) {
    runner.dispose();
    throw err;
  }
}

function readIr(value: unknown): ModelIR {
  const ir = value as Partial<ModelIR> | null;
  if (
    !ir ||
    typeof ir !== 'object' ||
    !Array.isArray(ir.tasks) ||
    !Array.isArray(ir.features) ||
    ir.scenario === undefined
  ) {
    throw new Error('ir.json is not a ModelIR (it lacks tasks, features or scenario)');
  }
  return ir as ModelIR;
}

interface Prepared {
  index: number;
  features: Map<string, FeatureArray>;
  scenario: number;
}

class ServableModel implements Servable {
  readonly name: string;
  readonly tasks: readonly TaskInfo[];
  readonly fields: readonly FieldInfo[];
  readonly scenario: { field: string; values: readonly string[] } | null;
  private readonly na: ReadonlySet<string>;
  private readonly inputs: readonly (PipelineInput | typeof SCENARIO_INPUT)[];
  private readonly absent: AbsentFields;
  private readonly batchSize: number;
  /** Every record field read (features and the scenario field). */
  private readonly fieldNames: readonly string[];

  readonly engine: EngineName;

  constructor(
    private readonly runner: Runner,
    readonly model: LayersModel | null,
    readonly pipeline: Pipeline,
    ir: ModelIR,
    options: ServableOptions,
  ) {
    const manifest = pipeline.toJSON();
    this.engine = runner.engine;
    this.name = ir.name;
    this.na = new Set(manifest.naValues);
    this.fields = recordFields(manifest);
    this.absent = options.absentFields ?? 'error';
    this.batchSize = options.batchSize ?? 1024;
    if (!(Number.isInteger(this.batchSize) && this.batchSize > 0))
      throw new Error(`batchSize must be a positive integer, got ${options.batchSize}`);
    if (this.absent !== 'error' && this.absent !== 'missing')
      throw new Error(`absentFields must be "error" or "missing", got ${String(options.absentFields)}`);

    const byName = new Map(pipeline.inputs.map((i) => [i.name, i] as const));
    this.inputs = runner.inputNames.map((name) => {
      if (name === SCENARIO_INPUT) return SCENARIO_INPUT;
      const input = byName.get(name);
      if (!input)
        throw new Error(
          `model input "${name}" is not a feature of pipeline.json: the model and the pipeline come from different builds`,
        );
      return input;
    });
    const scenarioFeature = ir.scenario ? ir.features.find((f) => f.name === ir.scenario!.feature) : undefined;
    if (this.inputs.includes(SCENARIO_INPUT)) {
      if (!ir.scenario || !scenarioFeature)
        throw new Error(`the model reads "${SCENARIO_INPUT}" but ir.json declares no scenario feature`);
      this.scenario = { field: scenarioFeature.column, values: [...ir.scenario.values] };
    } else this.scenario = null;
    this.fieldNames = [
      ...new Set([...this.fields.map((f) => f.name), ...(this.scenario ? [this.scenario.field] : [])]),
    ];

    const taskByName = new Map(ir.tasks.map((t) => [t.name, t] as const));
    this.tasks = runner.outputNames.map((name) => {
      const t = taskByName.get(name);
      if (!t) throw new Error(`model output "${name}" is not a task of ir.json`);
      return t.type === 'multiclass'
        ? { name, type: t.type, classes: (t.classes ?? []).map(String) }
        : { name, type: t.type };
    });
  }

  async score(records: readonly unknown[]): Promise<ScoreResult> {
    if (!Array.isArray(records)) throw new TypeError('score() takes an array of records');
    const scores: (TaskScores | null)[] = new Array<TaskScores | null>(records.length).fill(null);
    const errors: RecordError[] = [];
    const ready: Prepared[] = [];
    for (let index = 0; index < records.length; index++) {
      // Each field is read once, into a plain object: a getter that throws (or a Proxy trap)
      // fails its own record only, and one that answers differently on each read cannot make
      // the checked value differ from the encoded one.
      let r: Readonly<Record<string, unknown>>;
      try {
        r = snapshotRecord(records[index], this.fieldNames);
      } catch (err) {
        if (err instanceof NotARecord) {
          errors.push({ index, message: err.message });
          continue;
        }
        errors.push({
          index,
          message: `reading the record failed: ${err instanceof Error ? err.message : String(err)}`,
        });
        continue;
      }
      const problems = checkRecord(r, this.fields, this.na, this.absent);
      if (problems.length > 0) {
        for (const p of problems) errors.push({ index, ...p });
        continue;
      }
      try {
        const features = this.pipeline.transformRecord(r);
        const scenario = this.scenario
          ? recordScenarioIndex(r, this.scenario.field, this.scenario.values, this.na)
          : -1;
        ready.push({ index, features, scenario });
      } catch (err) {
        if (!(err instanceof DataError)) throw err;
        errors.push(pipelineError(index, err));
      }
    }
    for (let start = 0; start < ready.length; start += this.batchSize) {
      const batch = ready.slice(start, start + this.batchSize);
      const outputs = await this.predict(batch);
      batch.forEach((p, i) => {
        const s: TaskScores = {};
        const bad: string[] = [];
        this.tasks.forEach((t, k) => {
          if (t.classes === undefined) {
            s[t.name] = outputs[k][i];
            if (!Number.isFinite(outputs[k][i])) bad.push(t.name);
            return;
          }
          const K = t.classes.length;
          t.classes.forEach((c, j) => (s[`${t.name}:${c}`] = outputs[k][i * K + j]));
          if (!t.classes.every((_, j) => Number.isFinite(outputs[k][i * K + j]))) bad.push(t.name);
        });
        // never a NaN score: inputs far outside the training range can overflow inside the model
        if (bad.length === 0) scores[p.index] = s;
        else
          errors.push({
            index: p.index,
            message: `the model gave a non-finite score for ${bad.map((n) => `"${n}"`).join(', ')} (input values far outside the training range?)`,
          });
      });
    }
    errors.sort((a, b) => a.index - b.index);
    return { scores, errors };
  }

  private async predict(batch: readonly Prepared[]): Promise<Float32Array[]> {
    const n = batch.length;
    const columns: InputColumn[] = this.inputs.map((input) => {
      if (input === SCENARIO_INPUT)
        return { name: SCENARIO_INPUT, dtype: 'int32', width: 1, data: Int32Array.from(batch, (p) => p.scenario) };
      // One record: its encoded arrays are the inputs already (transformRecord gives input.dtype).
      if (n === 1)
        return { name: input.name, dtype: input.dtype, width: input.width, data: batch[0].features.get(input.name)! };
      const data = input.dtype === 'int32' ? new Int32Array(n * input.width) : new Float32Array(n * input.width);
      batch.forEach((p, i) => data.set(p.features.get(input.name)!, i * input.width));
      return { name: input.name, dtype: input.dtype, width: input.width, data };
    });
    return this.runner.run(columns, n);
  }

  dispose(): void {
    this.runner.dispose();
  }
}

class NotARecord extends Error {}

/** The record's own fields among `names`, each read once, as a plain object (absent fields
 * stay absent). Throws NotARecord for a non-object, or whatever a getter or trap throws. */
function snapshotRecord(record: unknown, names: readonly string[]): Record<string, unknown> {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    const problem = checkRecord(record, [], new Set(), 'missing')[0];
    throw new NotARecord(problem.message);
  }
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const name of names) {
    if (Object.hasOwn(record, name)) out[name] = (record as Record<string, unknown>)[name];
  }
  return out;
}

/** A pipeline rejection as a record error: "record: field "x": ..." -> field x, the rest. */
function pipelineError(index: number, err: DataError): RecordError {
  const message = err.message.replace(/^(record|row 1): /, '');
  const field = /(?:field|column) "([^"]+)"/.exec(message)?.[1];
  return field === undefined ? { index, message } : { index, field, message };
}
