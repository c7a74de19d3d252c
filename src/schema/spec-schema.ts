// The spec's JSON Schema, written with TypeBox so that the schema object *is* JSON Schema and
// the TypeScript types are derived from it (one source of truth). `schema/spec.schema.json`
// is generated from this file; a test keeps the two equal.
//
// Conventions: every object is closed (`additionalProperties: false`) so a typo is an error;
// names follow NAME so they are safe as layer names and JSON keys; closed sets are `enum`s
// (one clear error instead of one per union member); defaults are filled by ajv (`useDefaults`).
import { Type, type Static, type TSchema, type TUnion } from '@sinclair/typebox';
import { EvaluationSchema, LabelFromSchema, SampleWeightSchema } from './label-spec.js';
import { NAME_PATTERN, TEXT_PATTERN } from './patterns.js';
import { taskOptimisationProps, trainingOptimisationProps } from './optimisation-schema.js';

// TypeBox turns a Record with a pattern key into `patternProperties` alone, which lets any other
// key through unchecked (`item-side: 5` passed): `propertyNames` makes a bad key an error.
const NamedRecord = <T extends TSchema>(value: T, options: { description: string; minProperties?: number }) =>
  Type.Record(Type.String({ pattern: NAME_PATTERN }), value, { ...options, propertyNames: { pattern: NAME_PATTERN } });
const Name = (description: string) => Type.String({ pattern: NAME_PATTERN, minLength: 1, maxLength: 64, description });
const NameList = (description: string) => Type.Array(Name(description), { description });
// Data strings (columns, labels, values): any printable text; see TEXT_PATTERN.
const Text = (options: { minLength?: number; description?: string } = {}) =>
  Type.String({ ...options, pattern: TEXT_PATTERN });
const Obj = <T extends Record<string, TSchema>>(props: T, description: string) =>
  Type.Object(props, { additionalProperties: false, description });
const Enum = <const T extends readonly string[]>(values: T, opts: { default?: T[number]; description: string }) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...opts });
const PosInt = (description: string, extra: object = {}) => Type.Integer({ minimum: 1, description, ...extra });

// ---------------------------------------------------------------------------------------------
// Features
// ---------------------------------------------------------------------------------------------
export const ACTIVATIONS = ['relu', 'leaky_relu', 'elu', 'selu', 'gelu', 'tanh', 'sigmoid', 'swish', 'linear'] as const;
export const NORMALIZATIONS = ['none', 'standard', 'minmax', 'log'] as const;
export const POOLINGS = ['sum', 'mean', 'max', 'attention'] as const;
export const MISSING_POLICIES = ['fill', 'error', 'skip'] as const;

const Missing = Obj(
  {
    policy: Enum(MISSING_POLICIES, {
      default: 'fill',
      description:
        'fill: replace with `fill` (numeric) or the out-of-vocabulary id (categorical); error: stop with the row number; skip: drop the row and count it',
    }),
    fill: Type.Optional(
      Type.Union([Type.Number(), Text()], {
        description: 'value used by policy fill; numeric default is the training mean after normalisation (0)',
      }),
    ),
  },
  'What to do when the column is empty or one of data.csv.naValues',
);

const FeatureCommon = {
  name: Name('feature name, unique; used in groups and as the model input name'),
  column: Type.Optional(Text({ minLength: 1, description: 'source column; defaults to the feature name' })),
  missing: Type.Optional(Missing),
  description: Type.Optional(Type.String()),
};

const NumericFeature = Obj(
  {
    type: Type.Literal('numeric'),
    ...FeatureCommon,
    normalization: Enum(NORMALIZATIONS, {
      default: 'standard',
      description: 'statistics are fitted on the training split only',
    }),
    boundaries: Type.Optional(
      Type.Array(Type.Number(), {
        minItems: 1,
        description: 'bucketise: strictly increasing boundaries; the bucket id is embedded',
      }),
    ),
    embeddingDim: Type.Optional(PosInt('embedding width of a bucketised column', { default: 8 })),
  },
  'A numeric column, normalised, or bucketised by boundaries and embedded',
);

const CategoricalCommon = {
  ...FeatureCommon,
  encoding: Enum(['vocabulary', 'hash', 'identity'] as const, {
    default: 'vocabulary',
    description:
      'vocabulary: list, file or learned from training data; hash: hashBuckets; identity: integer ids in [0, numIds)',
  }),
  vocabulary: Type.Optional(
    Type.Array(Text(), {
      minItems: 1,
      description: 'fixed vocabulary; when absent with encoding vocabulary, learned from the training split',
    }),
  ),
  vocabularyFile: Type.Optional(
    Type.String({ minLength: 1, description: 'one value per line, relative to the spec file' }),
  ),
  minCount: Type.Integer({
    minimum: 1,
    default: 1,
    description: 'learned vocabulary: keep values seen at least this often',
  }),
  topK: Type.Optional(PosInt('learned vocabulary: keep at most this many most frequent values')),
  oovBuckets: Type.Integer({
    minimum: 1,
    default: 1,
    description: 'ids reserved for out-of-vocabulary and missing values',
  }),
  hashBuckets: Type.Optional(PosInt('encoding hash: number of buckets')),
  numIds: Type.Optional(PosInt('encoding identity: ids are integers in [0, numIds)')),
  embeddingDim: PosInt('embedding width', { default: 8 }),
  sharedEmbedding: Type.Optional(
    Name('features naming the same shared embedding use one table (same width and id space)'),
  ),
};

const CategoricalFeature = Obj(
  { type: Type.Literal('categorical'), ...CategoricalCommon },
  'A single-valued categorical column, embedded',
);

// Target attention (DIN, Zhou et al., KDD 2018): each value h of the sequence is weighted by
// an MLP over [h, t, h - t, h * t] against the target's embedding t, padding masked out.
const TargetAttention = Obj(
  {
    target: Name("a categorical feature sharing this sequence's embedding table (e.g. the candidate item's category)"),
    units: Type.Array(PosInt('units'), {
      minItems: 1,
      default: [80, 40],
      description: 'hidden layers of the attention MLP (a Dense(1) score follows); DIN used [80, 40]',
    }),
    activation: Enum(ACTIVATIONS, { default: 'sigmoid', description: 'activation of the hidden layers' }),
    softmax: Type.Boolean({
      default: false,
      description:
        'false (DIN): the raw scores weight the values (no sum-to-one constraint); true: a softmax over the non-padding positions',
    }),
  },
  'Target attention pooling: the target feature, and the attention MLP',
);

const SequenceFeature = Obj(
  {
    type: Type.Literal('sequence'),
    ...CategoricalCommon,
    separator: Type.String({ minLength: 1, default: '|', description: 'separates values inside the cell' }),
    maxLength: PosInt('values kept per row (first ones); shorter rows are padded', { default: 20 }),
    pooling: Enum(POOLINGS, {
      default: 'mean',
      description: 'how the value embeddings are pooled; attention: target attention (DIN), set in `attention`',
    }),
    attention: Type.Optional(TargetAttention),
  },
  'A multi-valued column (e.g. a click history), embedded and pooled',
);

// One feature over many numeric columns (issue #15): a column list, or `prefix` + `count`
// (prefix0 .. prefix{count-1}). The loader expands it, after the schema check, into one numeric
// feature per column, named like the column, in place (src/schema/vector-features.ts); a group
// listing the vector lists its components. Each component is normalised on its own.
export const MAX_VECTOR_COMPONENTS = 100_000;
const VectorFeature = Obj(
  {
    type: Type.Literal('vector'),
    name: Name('feature name, unique; groups list it to read every component'),
    columns: Type.Optional(
      Type.Array(Text({ minLength: 1 }), {
        minItems: 1,
        description: 'the component columns, in order; each becomes a numeric feature named like its column',
      }),
    ),
    prefix: Type.Optional(Text({ minLength: 1, description: 'columns `prefix`0 .. `prefix`{count - 1}' })),
    count: Type.Optional(PosInt('number of columns of the prefix form', { maximum: MAX_VECTOR_COMPONENTS })),
    normalization: Enum(NORMALIZATIONS, {
      default: 'standard',
      description: 'applied to each component with its own statistics, fitted on the training split',
    }),
    missing: Type.Optional(Missing),
    description: Type.Optional(Type.String()),
  },
  'Many numeric columns as one feature (a dense vector, e.g. a pretrained embedding), normalised per component',
);

// Hashed cross of categorical features (TF's / EasyRec's crossed_column, issue #15): the id is
// fnv1a32 of the component values joined by U+001F, mod hashBuckets, computed by the data
// pipeline from the raw columns (src/data/cross.ts); the model sees one more id input with its
// own embedding table. A missing component gives the missing id (hashBuckets).
const CrossFeature = Obj(
  {
    type: Type.Literal('cross'),
    name: Name('feature name, unique; used in groups and as the model input name'),
    of: Type.Array(Name('a categorical feature (or a bucketised numeric one)'), {
      minItems: 2,
      description: 'the crossed features (2 or more categorical or bucketised numeric features), in order',
    }),
    hashBuckets: PosInt('number of hash buckets of the cross id'),
    embeddingDim: PosInt('embedding width', { default: 8 }),
    description: Type.Optional(Type.String()),
  },
  'A hashed cross of categorical features: id = fnv1a32(values joined by U+001F) mod hashBuckets, embedded',
);

// A tagged union: ajv's `discriminator` picks the branch by `type` and reports one clear error
// (and fills that branch's defaults) instead of one error per branch.
const tagged = <T extends TSchema[]>(tag: string, members: [...T], description: string) =>
  Type.Unsafe<Static<TUnion<T>>>({
    type: 'object',
    oneOf: members,
    discriminator: { propertyName: tag },
    required: [tag],
    description,
  });

export const FeatureSchema = tagged(
  'type',
  [NumericFeature, CategoricalFeature, SequenceFeature, CrossFeature],
  'A feature column; `type` selects the kind',
);
/** What a spec file may write: the features above, and vectors, which the loader expands. */
const WrittenFeatureSchema = tagged(
  'type',
  [NumericFeature, CategoricalFeature, SequenceFeature, CrossFeature, VectorFeature],
  'A feature column; `type` selects the kind',
);

// ---------------------------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------------------------
const MlpCommon = {
  activation: Enum(ACTIVATIONS, { default: 'relu', description: 'hidden-layer activation' }),
  batchNorm: Type.Boolean({
    default: false,
    description: 'batch normalisation after each hidden layer, before the activation',
  }),
  dropout: Type.Number({ minimum: 0, maximum: 0.99, default: 0, description: 'dropout rate after each hidden layer' }),
  l2: Type.Number({ minimum: 0, default: 0, description: 'L2 penalty on the kernels' }),
};

// DCN-v2 cross layers (Wang et al., WWW 2021, Eq. 1): x_{l+1} = x_0 * (W x_l + b) + x_l, with
// W = U V (rank r) when `rank` is given. An expert with `cross` runs them on its input, then its
// MLP (the paper's stacked structure).
const CrossSchema = Obj(
  {
    layers: PosInt('number of cross layers', { default: 2, maximum: 16 }),
    rank: Type.Optional(PosInt('low-rank cross layers: W = U V with U [d, rank], V [rank, d]')),
  },
  'Explicit feature interactions: DCN-v2 cross layers on the expert input, before its MLP',
);

const PoolSchema = Obj(
  {
    name: Name('pool name, unique across the model'),
    count: PosInt('number of experts in the pool', { default: 1 }),
    units: Type.Array(PosInt('layer width'), { minItems: 1, description: 'MLP hidden layers of each expert' }),
    ...MlpCommon,
    cross: Type.Optional(CrossSchema),
    inputs: Type.Optional(
      NameList(
        'what the experts read: feature groups, or at levels after the first a gate of the previous level; default: every feature group',
      ),
    ),
  },
  'A pool of identical experts (MLPs with their own weights)',
);

const GateSchema = Obj(
  {
    name: Name('gate name, unique across the model'),
    pools: Type.Array(Name('pool of this level'), {
      minItems: 1,
      description: 'the pools whose experts this gate mixes',
    }),
    inputs: Type.Optional(
      NameList(
        'what the gate reads (feature groups or previous-level gates); default: the inputs of the first pool it mixes',
      ),
    ),
    temperature: Type.Number({
      exclusiveMinimum: 0,
      default: 1,
      description: 'softmax temperature: g = softmax(Wx / T)',
    }),
    topK: Type.Optional(PosInt('keep the k largest gate weights per example and renormalise')),
    scenarioAware: Type.Boolean({ default: false, description: 'the gate also reads the scenario embedding' }),
  },
  'A softmax gate: a per-example weighted sum of the experts of its pools',
);

const LevelSchema = Obj(
  {
    pools: Type.Array(PoolSchema, { minItems: 1 }),
    gates: Type.Array(GateSchema, { default: [] }),
  },
  'One extraction level: expert pools, and gates that mix them (PLE stacks several)',
);

const TowerSchema = Obj(
  {
    name: Name('tower name, unique across the model; tasks name their tower'),
    input: Name('a gate of the last level, or a single-expert pool of the last level (Shared-Bottom)'),
    units: Type.Array(PosInt('layer width'), { default: [], description: 'hidden layers before the task head' }),
    ...MlpCommon,
    perScenario: Type.Boolean({
      default: false,
      description: 'one tower per scenario value, chosen by the scenario feature',
    }),
    star: Type.Optional(
      Type.Boolean({
        description:
          "STAR (Sheng et al., CIKM 2021): every layer of the tower and its head multiplies a shared kernel by the row's scenario kernel (W = W_shared * W_scenario, b = b_shared + b_scenario)",
      }),
    ),
  },
  'A task tower: an MLP from a gate (or pool) output to the task head',
);

export const LOWERINGS = ['auto', 'separate', 'fused'] as const;

const ScenarioAuxiliarySchema = Obj(
  {
    inputs: Type.Optional(
      NameList('feature groups the auxiliary network reads besides the scenario embedding; default: none'),
    ),
    units: Type.Array(PosInt('layer width'), { default: [], description: 'hidden layers before the per-task logits' }),
    ...MlpCommon,
  },
  "STAR's scenario auxiliary network: a small MLP over the scenario embedding (and the listed groups) whose per-task logit is added to each tower task's logit",
);

const ModelSchema = Obj(
  {
    levels: Type.Array(LevelSchema, { minItems: 1, description: 'expert levels, first to last' }),
    towers: Type.Array(TowerSchema, { minItems: 1 }),
    scenarioAuxiliary: Type.Optional(ScenarioAuxiliarySchema),
    lowering: Type.Optional(
      Obj(
        {
          experts: Enum(LOWERINGS, {
            default: 'auto',
            description:
              'separate: one layer per expert; fused: one Dense of experts x units; auto: the measured fastest per backend',
          }),
          gates: Enum(LOWERINGS, {
            default: 'auto',
            description:
              'separate: one Dense per gate; fused: one Dense for all gates of a level, split; auto: measured fastest',
          }),
        },
        'How experts and gates are lowered to layers (same function, different speed)',
      ),
    ),
  },
  'The architecture: levels of expert pools and gates, then towers',
);

// ---------------------------------------------------------------------------------------------
// Tasks, scenarios
// ---------------------------------------------------------------------------------------------
export const TASK_TYPES = ['binary', 'regression', 'multiclass'] as const;
export const LOSSES = ['binary_crossentropy', 'mse', 'mae', 'huber', 'categorical_crossentropy'] as const;
export const METRICS = ['auc', 'logloss', 'accuracy', 'mse', 'mae', 'top_k_accuracy', 'macro_auc'] as const;
/** Multi-class tasks: the most classes a task may declare (a softmax over more is a retrieval
 * problem, not a head). */
export const MAX_CLASSES = 1000;
export const UNKNOWN_CLASS_POLICIES = ['error', 'skip'] as const;
/** `negative: other`: every present label value that is not `positive` counts as 0. */
export const NEGATIVE_OTHER = 'other';

const TaskSchema = Obj(
  {
    name: Name('task name, unique; the model output of the same name'),
    type: Enum(TASK_TYPES, {
      default: 'binary',
      description: 'binary: sigmoid head; regression: linear head; multiclass: softmax head over `classes`',
    }),
    label: Type.Optional(
      Text({
        minLength: 1,
        description: 'label column; a task without a label is an output trained only through a product (ESMM pCVR)',
      }),
    ),
    positive: Type.Optional(
      Type.Union([Text(), Type.Number()], {
        description: 'binary label value counted as 1 (e.g. ">50K"); default: 1 / "1" / true',
      }),
    ),
    negative: Type.Optional(
      Type.Union(
        [
          Type.Array(Type.Union([Type.String(), Type.Number()]), {
            minItems: 1,
            description: 'binary label value counted as 0',
          }),
          Type.Literal(NEGATIVE_OTHER),
        ],
        {
          description:
            'binary label values counted as 0 (e.g. ["<=50K"]), or `other`: every present value that is not `positive`; default: 0 / "0" / false. Any other label value is an error at its row',
        },
      ),
    ),
    labelFrom: Type.Optional(LabelFromSchema),
    evaluation: Type.Optional(EvaluationSchema),
    sampleWeight: Type.Optional(SampleWeightSchema),
    classes: Type.Optional(
      Type.Array(Type.Union([Text({ minLength: 1 }), Type.Number()]), {
        minItems: 2,
        maxItems: MAX_CLASSES,
        description:
          'multiclass: the label values, in output order (one probability each); required for type: multiclass',
      }),
    ),
    unknownClass: Type.Optional(
      Enum(UNKNOWN_CLASS_POLICIES, {
        description:
          'multiclass: a present label value not in `classes` is an error at its file and row (error, the default), or the row is left out of this task (skip)',
      }),
    ),
    topK: Type.Optional(
      PosInt('multiclass: k of the top_k_accuracy metric (the label among the k most probable classes); default 3'),
    ),
    tower: Type.Optional(Name('tower feeding the head; default: the tower named like the task')),
    product: Type.Optional(
      Type.Array(Name('task'), {
        minItems: 2,
        description: "ESMM: this output is the product of these tasks' outputs (pCTCVR = pCTR x pCVR); no tower",
      }),
    ),
    loss: Type.Optional(
      Enum(LOSSES, {
        description:
          'default: binary_crossentropy for binary, mse for regression, categorical_crossentropy for multiclass',
      }),
    ),
    weight: Type.Number({ minimum: 0, default: 1, description: 'loss weight' }),
    metrics: Type.Optional(
      Type.Array(Enum(METRICS, { description: 'metric' }), {
        description:
          'default: auc, logloss, accuracy (binary); mse, mae (regression); accuracy, top_k_accuracy, macro_auc, logloss (multiclass)',
      }),
    ),
    sampleSpace: Type.Optional(
      Obj(
        {
          column: Text({ minLength: 1, description: 'the loss counts only rows where this column equals `equals`' }),
          equals: Type.Union([Type.Number(), Text(), Type.Boolean()], { default: 1 }),
        },
        'Restrict the loss to a sample space (cvr only where click = 1)',
      ),
    ),
    scenarios: Type.Optional(
      Type.Array(Text(), { minItems: 1, description: 'train this task only on these scenario values' }),
    ),
    ...taskOptimisationProps,
  },
  'A prediction target: one named model output',
);

const ScenarioSchema = Obj(
  {
    feature: Name('a categorical feature whose values are the scenarios'),
    values: Type.Array(Text({ minLength: 1 }), { minItems: 1, description: 'declared scenario values' }),
    embeddingDim: PosInt('width of the scenario embedding read by scenario-aware gates', { default: 8 }),
  },
  'Multi-scenario modelling: a scenario feature and its values',
);

// ---------------------------------------------------------------------------------------------
// Training and data
// ---------------------------------------------------------------------------------------------
export const OPTIMIZERS = ['adam', 'sgd', 'adagrad', 'rmsprop'] as const;

const TrainingSchema = Obj(
  {
    optimizer: Enum(OPTIMIZERS, { default: 'adam', description: 'optimizer' }),
    learningRate: Type.Number({ exclusiveMinimum: 0, default: 0.001 }),
    batchSize: PosInt('examples per step', { default: 512 }),
    epochs: PosInt('passes over the training split', { default: 5 }),
    seed: Type.Integer({ minimum: 0, default: 42, description: 'seeds weights, shuffling, splits and synthetic data' }),
    validationFraction: Type.Number({
      minimum: 0,
      maximum: 0.9,
      default: 0.1,
      description: 'fraction of the training split held out for validation',
    }),
    sampleWeight: Type.Optional(SampleWeightSchema),
    earlyStopping: Type.Optional(
      Obj(
        {
          task: Name('task whose validation metric is watched'),
          metric: Enum(METRICS, { default: 'auc', description: 'metric watched' }),
          patience: Type.Integer({ minimum: 0, default: 2 }),
        },
        'Stop when the watched validation metric has not improved for `patience` epochs; the best checkpoint is kept',
      ),
    ),
    ...trainingOptimisationProps,
  },
  'Optimisation settings',
);

export const COLUMN_TYPES = ['number', 'string'] as const;
export const CSV_ENCODINGS = ['utf-8', 'latin1'] as const;

const CsvDataSchema = Obj(
  {
    source: Type.Literal('csv'),
    train: Type.String({ minLength: 1, description: 'training CSV (optionally .gz), relative to the spec file' }),
    test: Type.Optional(
      Type.String({ minLength: 1, description: 'test CSV; default: a seeded testFraction of train' }),
    ),
    testFraction: Type.Number({ exclusiveMinimum: 0, maximum: 0.9, default: 0.2 }),
    delimiter: Type.String({ minLength: 1, maxLength: 1, default: ',' }),
    naValues: Type.Array(Text(), { default: ['', 'NA', '?'], description: 'cells read as missing' }),
    columns: Type.Optional(
      // any column name (CSV headers need not be identifiers); reserved keys are refused on load
      Type.Record(Type.String(), Enum(COLUMN_TYPES, { description: 'column type' }), {
        propertyNames: { pattern: TEXT_PATTERN },
        description: 'column types; default: inferred from the features that read them',
      }),
    ),
    badRows: Enum(['error', 'skip'] as const, {
      default: 'error',
      description: 'a malformed row stops with its row number, or is skipped and counted',
    }),
    encoding: Enum(CSV_ENCODINGS, {
      default: 'utf-8',
      description:
        'text encoding of the CSV files: utf-8 (an invalid byte is an error at its line) or latin1 (ISO-8859-1, every byte is a character)',
    }),
    maxRows: Type.Optional(PosInt('read at most this many training rows')),
  },
  'Data from CSV files',
);

export const GENERATORS = ['ecom', 'mmoe-synthetic'] as const;

const SyntheticDataSchema = Obj(
  {
    source: Type.Literal('synthetic'),
    generator: Enum(GENERATORS, {
      default: 'ecom',
      description:
        'ecom: users/items/context with clicks and post-click conversions; mmoe-synthetic: Ma et al. 2018 Sec. 3.2',
    }),
    rows: PosInt('training rows', { default: 20000 }),
    testRows: PosInt('test rows', { default: 5000 }),
    seed: Type.Integer({ minimum: 0, default: 1, description: 'generator seed (independent of training.seed)' }),
    correlation: Type.Number({
      minimum: -1,
      maximum: 1,
      default: 0.5,
      description: 'task relatedness: rho (mmoe-synthetic) or click/conversion coupling (ecom)',
    }),
    params: Type.Optional(NamedRecord(Type.Number(), { description: 'generator-specific numbers (see docs)' })),
  },
  'Built-in seeded synthetic data',
);

const DataSchema = tagged(
  'source',
  [CsvDataSchema, SyntheticDataSchema],
  'Where the rows come from; `source` selects the kind',
);

const LimitsSchema = Obj(
  {
    maxParameters: Type.Number({
      exclusiveMinimum: 0,
      default: 200_000_000,
      description: 'refuse specs whose estimated parameter count exceeds this',
    }),
  },
  'Resource limits, checked before anything is built',
);

// ---------------------------------------------------------------------------------------------
// The spec
// ---------------------------------------------------------------------------------------------
import { SPEC_VERSION } from './version.js';
export { SPEC_VERSION };

export const SpecSchema = Type.Object(
  {
    specVersion: Type.Literal(SPEC_VERSION, {
      description: 'spec language version; older versions are upgraded on load',
    }),
    name: Type.Optional(Name('model name; default: the spec file name')),
    description: Type.Optional(Type.String()),
    extends: Type.Optional(
      Type.String({ minLength: 1, description: 'base spec, relative to this file: deep-merged, lists replaced' }),
    ),
    data: DataSchema,
    features: Type.Array(WrittenFeatureSchema, { minItems: 1 }),
    featureGroups: NamedRecord(NameList('feature'), {
      minProperties: 1,
      description: 'named sets of features (user, item, context, ...), concatenated as expert and gate inputs',
    }),
    model: ModelSchema,
    tasks: Type.Array(TaskSchema, { minItems: 1 }),
    scenarios: Type.Optional(ScenarioSchema),
    training: TrainingSchema,
    limits: Type.Optional(LimitsSchema),
  },
  {
    $id: 'https://mmoe-compile.dev/schema/spec-v1.json',
    title: 'mmoe-compile spec',
    description:
      'A multi-task ranking model: features, expert levels, gates, towers, tasks, scenarios, training and data.',
    additionalProperties: false,
  },
);

/** A spec as written and checked by the schema: features may still be vectors. */
export type WrittenSpec = Static<typeof SpecSchema>;
export type Feature = Static<typeof FeatureSchema>;
export type VectorFeatureSpec = Static<typeof VectorFeature>;
export type CrossFeatureSpec = Static<typeof CrossFeature>;
/** The spec every later phase sees: vectors expanded into numeric features. */
export type Spec = Omit<WrittenSpec, 'features'> & { features: Feature[] };
export type NumericFeatureSpec = Static<typeof NumericFeature>;
export type CategoricalFeatureSpec = Static<typeof CategoricalFeature>;
export type SequenceFeatureSpec = Static<typeof SequenceFeature>;
export type PoolSpec = Static<typeof PoolSchema>;
export type GateSpec = Static<typeof GateSchema>;
export type LevelSpec = Static<typeof LevelSchema>;
export type TowerSpec = Static<typeof TowerSchema>;
export type TaskSpec = Static<typeof TaskSchema>;
export type ScenarioSpec = Static<typeof ScenarioSchema>;
export type TrainingSpec = Static<typeof TrainingSchema>;
export type DataSpec = Static<typeof DataSchema>;
export type CsvDataSpec = Static<typeof CsvDataSchema>;
export type SyntheticDataSpec = Static<typeof SyntheticDataSchema>;
export type ModelSpec = Static<typeof ModelSchema>;
export type Activation = (typeof ACTIVATIONS)[number];
