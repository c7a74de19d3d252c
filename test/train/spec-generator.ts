// A seeded generator of small specs over every family (Shared-Bottom, MoE, MMoE, CGC, PLE, ESMM,
// multi-scenario), feature kind and encoding, task kind (binary / regression, sample spaces,
// weights, losses, metrics) and training option (optimizers, early stopping, batch sizes,
// lowerings), on tiny data: the built-in ecom and mmoe-synthetic generators, and a small CSV
// (string labels, missing cells, a vocabulary file). Used to check that what `validate` accepts,
// `train` trains (test/train/generated-specs.test.ts).
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Rng } from '../../src/data/random.js';
import { generateEcom } from '../../src/data/synthetic-ecom.js';
import type { Table } from '../../src/data/table.js';

type Obj = Record<string, unknown>;

export const FAMILIES = ['shared-bottom', 'moe', 'mmoe', 'cgc', 'ple', 'esmm', 'multi-scenario'] as const;
export type Family = (typeof FAMILIES)[number];
export type DataKind = 'ecom' | 'mmoe-synthetic' | 'csv';

export interface Generated {
  family: Family;
  data: DataKind;
  spec: Obj;
}

class Pick {
  constructor(private readonly rng: Rng) {}
  u(): number {
    return this.rng.uniform();
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rng.uniform() * (hi - lo + 1));
  }
  one<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rng.uniform() * xs.length)];
  }
  chance(p: number): boolean {
    return this.rng.uniform() < p;
  }
  some<T>(xs: readonly T[], min = 1): T[] {
    const out = xs.filter(() => this.chance(0.5));
    while (out.length < min) {
      const x = this.one(xs);
      if (!out.includes(x)) out.push(x);
    }
    return xs.filter((x) => out.includes(x));
  }
}

// ---------------------------------------------------------------------------------------------
// The tiny CSV (written once per test run)
// ---------------------------------------------------------------------------------------------
export const CSV_COLORS = ['red', 'green', 'blue', 'black'];

/** Columns: x (numeric, some missing), color, tags (a|b|c), shop (identity 0..4), label (yes/no), score (numeric), seen (0/1). */
export interface DataFiles {
  train: string;
  test: string;
  vocab: string;
  /** The ecom generator's columns as CSV: the synthetic source costs ~0.3 s a spec (its 4,000-row
   * calibration sample), so most ecom specs read these instead. */
  ecomTrain: string;
  ecomTest: string;
}

function tableCsv(t: Table): string {
  const names = [...t.columns.keys()];
  const cols = names.map((n) => t.columns.get(n)!);
  const lines = [names.join(',')];
  for (let i = 0; i < t.rowCount; i++) lines.push(cols.map((c) => (c.missing[i] ? '' : String(c.values[i]))).join(','));
  return lines.join('\n') + '\n';
}

export function writeTinyCsv(dir: string, rows = 40): DataFiles {
  const rng = new Rng(7);
  const line = () => {
    const x = rng.uniform() * 4 - 2;
    const color = CSV_COLORS[Math.floor(rng.uniform() * 4)];
    const tags = Array.from({ length: Math.floor(rng.uniform() * 4) }, () => 'abc'[Math.floor(rng.uniform() * 3)]).join(
      '|',
    );
    const shop = Math.floor(rng.uniform() * 5);
    const y = rng.uniform() < 1 / (1 + Math.exp(-2 * x)) ? 'yes' : 'no';
    const seen = rng.uniform() < 0.6 ? 1 : 0;
    const xs = rng.uniform() < 0.1 ? '' : x.toFixed(3);
    return `${xs},${color},${tags},${shop},${y},${(x * 2 + rng.uniform()).toFixed(3)},${seen}`;
  };
  const header = 'x,color,tags,shop,label,score,seen';
  const write = (name: string, n: number) => {
    const p = join(dir, name);
    writeFileSync(p, [header, ...Array.from({ length: n }, line)].join('\n') + '\n');
    return p;
  };
  const vocab = join(dir, 'colors.txt');
  writeFileSync(vocab, 'red\ngreen\nblue\n');
  const ecom = (stream: string, n: number) => {
    const p = join(dir, `ecom-${stream}.csv`);
    writeFileSync(
      p,
      tableCsv(
        generateEcom({
          rows: n,
          seed: 3,
          correlation: 0.5,
          stream,
          params: { users: 20, items: 30, categories: 5, historyMax: 4 },
        }),
      ),
    );
    return p;
  };
  // written into the specs relative to them (the specs are written beside these files): a spec
  // reads only inside its project root
  write('tiny-train.csv', rows);
  write('tiny-test.csv', 20);
  ecom('train', 40);
  ecom('test', 16);
  return {
    train: 'tiny-train.csv',
    test: 'tiny-test.csv',
    vocab: basename(vocab),
    ecomTrain: 'ecom-train.csv',
    ecomTest: 'ecom-test.csv',
  };
}

// ---------------------------------------------------------------------------------------------
// Features per data source
// ---------------------------------------------------------------------------------------------
const MISSING = [undefined, undefined, undefined, { policy: 'fill' }, { policy: 'skip' }, { policy: 'error' }] as const;

function numeric(p: Pick, name: string, column?: string, boundaries?: number[]): Obj {
  const f: Obj = { name, type: 'numeric', ...(column ? { column } : {}) };
  if (boundaries && p.chance(0.3)) {
    f.boundaries = boundaries;
    if (p.chance(0.5)) f.embeddingDim = p.int(2, 4);
    if (p.chance(0.2)) f.normalization = 'none';
  } else if (p.chance(0.8)) f.normalization = p.one(['none', 'standard', 'minmax', 'log']);
  const m = p.one(MISSING);
  if (m) f.missing = m;
  return f;
}

/** A categorical or sequence feature with a random encoding; `values` are the column's values when known. */
function embedded(
  p: Pick,
  name: string,
  type: 'categorical' | 'sequence',
  opts: { values?: string[]; column?: string; vocabularyFile?: string } = {},
): Obj {
  const f: Obj = { name, type, embeddingDim: p.int(2, 4), ...(opts.column ? { column: opts.column } : {}) };
  const enc = p.one([
    'hash',
    'vocabulary',
    'vocabulary',
    opts.values ? 'fixed' : 'hash',
    opts.vocabularyFile ? 'file' : 'vocabulary',
  ]);
  if (enc === 'hash') Object.assign(f, { encoding: 'hash', hashBuckets: p.int(3, 40) });
  else if (enc === 'fixed') f.vocabulary = opts.values!.slice(0, p.int(1, opts.values!.length));
  else if (enc === 'file') f.vocabularyFile = opts.vocabularyFile;
  else {
    if (p.chance(0.3)) f.minCount = p.int(1, 3);
    if (p.chance(0.2)) f.topK = p.int(1, 20);
  }
  if (enc !== 'hash' && p.chance(0.2)) f.oovBuckets = p.int(1, 3);
  if (type === 'sequence') {
    if (p.chance(0.5)) f.pooling = p.one(['sum', 'mean', 'max']);
    if (p.chance(0.5)) f.maxLength = p.int(1, 6);
  }
  const m = p.one(MISSING);
  if (m) f.missing = m;
  return f;
}

/** Copy the table settings of `from` onto a feature that shares its embedding. */
function shareWith(from: Obj, to: Obj, table: string): void {
  for (const k of [
    'embeddingDim',
    'encoding',
    'hashBuckets',
    'vocabulary',
    'vocabularyFile',
    'oovBuckets',
    'minCount',
    'topK',
  ]) {
    if (from[k] === undefined) delete to[k];
    else to[k] = from[k];
  }
  from.sharedEmbedding = table;
  to.sharedEmbedding = table;
}

interface Source {
  data: Obj;
  features: Obj[];
  /** Binary labels (with `positive` when not 0/1) and regression labels the source offers. */
  binary: { label: string; positive?: string; negative?: string }[];
  regression: string[];
  /** A 0/1 column for sample spaces, when there is one. */
  space?: string;
  scenario?: { feature: Obj; values: string[] };
}

function ecomSource(p: Pick, wantScenario: boolean, files: DataFiles): Source {
  let data: Obj;
  if (p.chance(0.1)) {
    data = {
      source: 'synthetic',
      generator: 'ecom',
      rows: p.chance(0.2) ? p.int(1, 3) : p.int(24, 40),
      testRows: p.chance(0.2) ? 1 : 16,
      seed: p.int(0, 50),
    };
    if (p.chance(0.7))
      data.params = { users: p.int(5, 40), items: p.int(5, 60), categories: p.int(2, 8), historyMax: p.int(0, 5) };
    if (p.chance(0.3)) data.correlation = p.one([-0.5, 0, 0.9]);
  } else
    data = {
      source: 'csv',
      train: files.ecomTrain,
      ...(p.chance(0.7) ? { test: files.ecomTest } : { testFraction: 0.3 }),
    };
  const pool: Obj[] = [];
  const add = (cond: boolean, f: () => Obj) => cond && pool.push(f());
  add(p.chance(0.6), () => embedded(p, 'user_id', 'categorical'));
  add(p.chance(0.6), () => numeric(p, 'user_age', undefined, [20, 30, 45]));
  add(p.chance(0.5), () => embedded(p, 'user_gender', 'categorical', { values: ['m', 'f'] }));
  add(p.chance(0.4), () => embedded(p, 'user_city', 'categorical'));
  const history = p.chance(0.5) ? embedded(p, 'user_history', 'sequence') : undefined;
  if (history) pool.push(history);
  add(p.chance(0.5), () => embedded(p, 'item_id', 'categorical'));
  const category = p.chance(0.6) ? embedded(p, 'item_category', 'categorical') : undefined;
  if (category) pool.push(category);
  if (history && category && p.chance(0.5)) shareWith(history, category, 'category');
  const priceFeature = p.chance(0.6);
  if (priceFeature) pool.push(numeric(p, 'item_price', undefined, [5, 20, 80]));
  // the hour as a number, as an id (identity encoding of a number column), or both
  const hour = p.int(0, 3);
  if (hour & 1) pool.push(numeric(p, 'context_hour'));
  if (hour & 2)
    pool.push({
      name: 'hour_id',
      type: 'categorical',
      column: 'context_hour',
      encoding: 'identity',
      numIds: p.one([5, 24]),
      embeddingDim: p.one([1, 2]),
    });
  const scene = { name: 'scene', type: 'categorical', vocabulary: ['home', 'search', 'detail'], embeddingDim: 2 };
  if (wantScenario || p.chance(0.3)) pool.push(scene);
  if (pool.length === 0) pool.push(numeric(p, 'user_age'));
  return {
    data,
    features: pool,
    binary: [{ label: 'click' }, { label: 'conversion' }],
    regression: priceFeature ? ['user_age'].filter((c) => !pool.some((f) => f.name === c)) : ['item_price'],
    space: 'click',
    ...(pool.includes(scene) ? { scenario: { feature: scene, values: ['home', 'search', 'detail'] } } : {}),
  };
}

function mmoeSource(p: Pick): Source {
  const d = p.int(2, 6);
  const data: Obj = {
    source: 'synthetic',
    generator: 'mmoe-synthetic',
    rows: p.int(24, 40),
    testRows: 16,
    params: { d },
  };
  const features = Array.from({ length: p.int(1, d) }, (_, i) => numeric(p, `x${i}`, undefined, [-1, 0, 1]));
  return { data, features, binary: [], regression: ['y1', 'y2'] };
}

function csvSource(p: Pick, files: DataFiles): Source {
  const data: Obj = {
    source: 'csv',
    train: files.train,
    ...(p.chance(0.5) ? { test: files.test } : { testFraction: 0.25 }),
  };
  if (p.chance(0.3)) data.badRows = 'skip';
  if (p.chance(0.1)) data.maxRows = p.int(1, 4);
  if (p.chance(0.1)) data.testFraction = 0.9;
  const features: Obj[] = [numeric(p, 'x', undefined, [-1, 0, 1])];
  if (p.chance(0.7))
    features.push(embedded(p, 'color', 'categorical', { values: CSV_COLORS, vocabularyFile: files.vocab }));
  if (p.chance(0.6)) features.push(embedded(p, 'tags', 'sequence', { values: ['a', 'b', 'c'] }));
  if (p.chance(0.5))
    features.push({ name: 'shop', type: 'categorical', encoding: 'identity', numIds: 5, embeddingDim: 2 });
  return {
    data,
    features,
    binary: [{ label: 'label', positive: 'yes', ...(p.chance(0.9) ? { negative: 'no' } : {}) }, { label: 'seen' }],
    regression: ['score'],
    space: 'seen',
  };
}

// ---------------------------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------------------------
function mlp(p: Pick): Obj {
  const o: Obj = {};
  if (p.chance(0.4))
    o.activation = p.one(['relu', 'leaky_relu', 'elu', 'selu', 'gelu', 'tanh', 'sigmoid', 'swish', 'linear']);
  if (p.chance(0.3)) o.batchNorm = true;
  if (p.chance(0.3)) o.dropout = p.one([0.1, 0.5]);
  if (p.chance(0.2)) o.l2 = 0.001;
  return o;
}

function units(p: Pick, width: number): number[] {
  return p.chance(0.5) ? [width] : [p.int(2, 6), width];
}

function gate(p: Pick, name: string, pools: string[], experts: number, scenarioAware: boolean, inputs?: string[]): Obj {
  const g: Obj = { name, pools, ...(inputs ? { inputs } : {}) };
  if (p.chance(0.2)) g.temperature = p.one([0.5, 2]);
  if (experts > 1 && p.chance(0.25)) g.topK = p.int(1, experts - 1);
  if (p.chance(0.05)) g.temperature = 0.01;
  if (scenarioAware) g.scenarioAware = true;
  return g;
}

function model(p: Pick, family: Family, towerNames: string[], groups: string[], scenario: boolean): Obj {
  const w = p.int(2, 5);
  const pool = (name: string, count: number, extra: Obj = {}) => ({
    name,
    count,
    units: units(p, w),
    ...mlp(p),
    ...extra,
  });
  const inputs = () => (p.chance(0.3) ? { inputs: p.some(groups) } : {});
  const aware = () => scenario && p.chance(0.7);
  const tower = (name: string, input: string) => ({
    name,
    input,
    ...(p.chance(0.7) ? { units: [p.int(2, 4)] } : {}),
    ...mlp(p),
    ...(scenario && p.chance(0.6) ? { perScenario: true } : {}),
  });
  let levels: Obj[];
  let towers: Obj[];
  switch (family) {
    case 'shared-bottom':
    // biome-ignore lint/suspicious/noFallthroughSwitchClause: an ESMM that is not over a shared bottom is an MMoE
    case 'esmm':
      if (family === 'shared-bottom' || p.chance(0.5)) {
        levels = [{ pools: [pool('bottom', 1, inputs())] }];
        towers = towerNames.map((t) => tower(t, 'bottom'));
        break;
      }
    // ESMM over MMoE
    // falls through: an ESMM that is not over a shared bottom is an MMoE
    case 'mmoe':
    case 'multi-scenario': {
      const k = p.int(2, 3);
      levels = [
        {
          pools: [pool('experts', k, inputs())],
          gates: towerNames.map((t) => gate(p, `${t}_gate`, ['experts'], k, aware())),
        },
      ];
      towers = towerNames.map((t) => tower(t, `${t}_gate`));
      break;
    }
    case 'moe': {
      const k = p.int(2, 3);
      levels = [{ pools: [pool('experts', k, inputs())], gates: [gate(p, 'gate', ['experts'], k, aware())] }];
      towers = towerNames.map((t) => tower(t, 'gate'));
      break;
    }
    case 'cgc': {
      const shared = p.int(1, 2);
      levels = [
        {
          pools: [pool('shared', shared), ...towerNames.map((t) => pool(`${t}_experts`, 1))],
          gates: towerNames.map((t) => gate(p, `${t}_gate`, [`${t}_experts`, 'shared'], shared + 1, aware())),
        },
      ];
      towers = towerNames.map((t) => tower(t, `${t}_gate`));
      break;
    }
    case 'ple': {
      const l1 = [pool('l1_shared', 2), ...towerNames.map((t) => pool(`l1_${t}`, 1))];
      const g1 = [
        ...towerNames.map((t) => gate(p, `l1_${t}_gate`, [`l1_${t}`, 'l1_shared'], 3, aware())),
        gate(p, 'l1_shared_gate', [...towerNames.map((t) => `l1_${t}`), 'l1_shared'], 2 + towerNames.length, false),
      ];
      const l2 = [
        pool('l2_shared', 2, { inputs: ['l1_shared_gate'] }),
        ...towerNames.map((t) => pool(`l2_${t}`, 1, { inputs: [`l1_${t}_gate`] })),
      ];
      const g2 = towerNames.map((t) => gate(p, `${t}_gate`, [`l2_${t}`, 'l2_shared'], 3, aware(), [`l1_${t}_gate`]));
      levels = [
        { pools: l1, gates: g1 },
        { pools: l2, gates: g2 },
      ];
      towers = towerNames.map((t) => tower(t, `${t}_gate`));
      break;
    }
  }
  const m: Obj = { levels, towers };
  if (p.chance(0.4))
    m.lowering = { experts: p.one(['auto', 'separate', 'fused']), gates: p.one(['auto', 'separate', 'fused']) };
  return m;
}

// ---------------------------------------------------------------------------------------------
// Tasks and training
// ---------------------------------------------------------------------------------------------
function metricsFor(p: Pick, type: 'binary' | 'regression'): string[] | undefined {
  if (p.chance(0.6)) return undefined;
  return p.some(type === 'binary' ? ['auc', 'logloss', 'accuracy', 'mse', 'mae'] : ['mse', 'mae']);
}

function tasks(p: Pick, src: Source, family: Family): { tasks: Obj[]; towers: string[] } {
  const out: Obj[] = [];
  const regressionOnly = src.binary.length === 0;
  const n = family === 'shared-bottom' || family === 'moe' ? p.int(1, 3) : p.int(2, 3);
  if (family === 'esmm') {
    // pCTR x pCVR = pCTCVR: the middle task has no label of its own
    const [a, b] = src.binary;
    out.push(
      {
        name: 't0',
        label: a.label,
        ...(a.positive ? { positive: a.positive } : {}),
        ...(a.negative ? { negative: [a.negative] } : {}),
      },
      { name: 't1' },
      { name: 'prod', label: b.label, product: ['t0', 't1'], ...(p.chance(0.5) ? { weight: 2 } : {}) },
    );
    return { tasks: out, towers: ['t0', 't1'] };
  }
  const used = new Set<string>();
  for (let i = 0; i < n; i++) {
    const regression = regressionOnly || (src.regression.length > 0 && p.chance(0.3));
    const t: Obj = { name: `t${i}` };
    if (regression) {
      const label = p.one(src.regression);
      Object.assign(t, { type: 'regression', label });
      if (p.chance(0.5)) t.loss = p.one(['mse', 'mae', 'huber']);
      used.add(label);
    } else {
      const b = p.one(src.binary);
      t.label = b.label;
      if (b.positive) t.positive = b.positive;
      if (b.negative) t.negative = [b.negative];
      if (p.chance(0.3)) t.loss = 'binary_crossentropy';
    }
    const metrics = metricsFor(p, regression ? 'regression' : 'binary');
    if (metrics) t.metrics = metrics;
    if (p.chance(0.3)) t.weight = p.one([0, 0.5, 2]);
    if (src.space && t.label !== src.space && p.chance(0.3)) t.sampleSpace = { column: src.space, equals: 1 };
    if (src.scenario && p.chance(0.3)) t.scenarios = p.some(src.scenario.values);
    if (p.chance(0.2)) t.tower = `tower${i}`;
    out.push(t);
  }
  return { tasks: out, towers: out.map((t) => (t.tower as string | undefined) ?? (t.name as string)) };
}

function training(p: Pick, taskList: Obj[]): Obj {
  const t: Obj = { epochs: 1, seed: p.int(0, 100) };
  if (p.chance(0.7)) t.optimizer = p.one(['adam', 'sgd', 'adagrad', 'rmsprop']);
  if (p.chance(0.5)) t.learningRate = p.one([0.001, 0.01, 0.1]);
  // mostly one to three steps an epoch: the test trains hundreds of specs
  t.batchSize = p.chance(0.04) ? p.one([1, 3]) : p.one([16, 32, 32, 64, 512]);
  if (p.chance(0.3)) t.validationFraction = p.one([0, 0.2, 0.3, 0.9]);
  if (p.chance(0.05)) t.epochs = 2;
  const labelled = taskList.filter((x) => x.label !== undefined);
  if (t.validationFraction !== 0 && labelled.length && p.chance(0.4)) {
    const w = p.one(labelled);
    const type = (w.type as string | undefined) ?? 'binary';
    const computed =
      (w.metrics as string[] | undefined) ?? (type === 'binary' ? ['auc', 'logloss', 'accuracy'] : ['mse', 'mae']);
    t.earlyStopping = {
      task: w.name,
      ...(p.chance(0.7) ? { metric: p.one(computed) } : type === 'binary' ? {} : { metric: 'mse' }),
      patience: p.int(0, 2),
    };
  }
  return t;
}

/** The i-th generated spec of a seeded stream. Data file paths are relative: write the spec beside the files. */
export function generateSpec(seed: number, i: number, files: DataFiles): Generated {
  const p = new Pick(new Rng(seed).fork(`spec:${i}`));
  const family = FAMILIES[i % FAMILIES.length];
  const dataKind: DataKind =
    family === 'esmm' || family === 'multi-scenario'
      ? 'ecom'
      : p.one(['ecom', 'ecom', 'csv', 'mmoe-synthetic'] as const);
  const src =
    dataKind === 'ecom'
      ? ecomSource(p, family === 'multi-scenario', files)
      : dataKind === 'csv'
        ? csvSource(p, files)
        : mmoeSource(p);
  // feature groups: a random partition of the features into 1-3 groups
  const ngroups = Math.min(src.features.length, p.int(1, 3));
  const groups: Record<string, string[]> = {};
  src.features.forEach((f, j) => {
    if (f === src.scenario?.feature && family === 'multi-scenario' && p.chance(0.5)) return; // read by the scenario machinery only
    const g = `g${j < ngroups ? j : p.int(0, ngroups - 1)}`;
    (groups[g] ??= []).push(f.name as string);
  });
  if (Object.keys(groups).length === 0) groups.g0 = [src.features[0].name as string];
  const scenario = family === 'multi-scenario' && src.scenario !== undefined;
  const { tasks: taskList, towers } = tasks(p, src, family);
  const spec: Obj = {
    specVersion: 1,
    data: src.data,
    features: src.features,
    featureGroups: groups,
    model: model(p, family, towers, Object.keys(groups), scenario),
    tasks: taskList,
    training: training(p, taskList),
  };
  if (src.scenario && (scenario || taskList.some((t) => t.scenarios)))
    spec.scenarios = { feature: 'scene', values: src.scenario.values, embeddingDim: 2 };
  return { family, data: dataKind, spec };
}
