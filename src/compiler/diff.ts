// A semantic diff of two compiled specs: their IRs are compared, not their YAML text, so layout,
// comments, key order and an `extends` refactor never show up.
//
// "Same model" means the two IRs are equal once every node's `path` (where it is written) and
// the IR `name` (the spec `name:`, else the file name) are left out. Everything the IR carries
// counts, in order: list order is part of the model (task order is the output order, group and
// feature order the input and concatenation order), and so is the order of keys inside
// `featureGroups`. A changed spec `name:` or `description:` does not change the model: it is
// listed with the training and data changes. Those (training, data, limits and the feature
// settings the IR does not carry, such as normalisation) are listed so a reviewer sees them, but
// they never make two models different.
import type { Location } from '../util/diagnostics.js';
import { locate, pointer, type LocIndex } from '../schema/source.js';
import type { Feature, Spec } from '../schema/spec-schema.js';
import type { BlockCost, CostSummary } from './cost.js';
import type {
  EmbeddingIR,
  FeatureIR,
  GateIR,
  GroupIR,
  HeadIR,
  ModelIR,
  PoolIR,
  RefIR,
  ScenarioAuxiliaryIR,
  ScenarioIR,
  TaskIR,
  TowerIR,
} from './ir.js';
import { stableStringify } from '../util/stable-json.js';
import { formatCount, formatDelta, markdownTable, mdCell, textTable } from './summary.js';
import { mdCode } from '../util/escape.js';

/** One compiled spec, as front.checkSpec returns it. */
export interface DiffSide {
  file: string;
  ir: ModelIR;
  cost: CostSummary;
  /** The validated spec; without it training/data changes are not compared. */
  spec?: Spec;
  /** Positions (loaded.locs); without them changes carry no locations. */
  locs?: LocIndex;
}

export type Where = Pick<Location, 'file' | 'line' | 'column'>;

export type EntityKind =
  | 'model'
  | 'feature'
  | 'embedding'
  | 'group'
  | 'scenario'
  | 'pool'
  | 'gate'
  | 'tower'
  | 'auxiliary'
  | 'task';

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
  /** Follows from another change (a width computed from embedding sizes, say). */
  derived: boolean;
  a?: Where;
  b?: Where;
}

export interface EntityChange {
  kind: EntityKind;
  name: string;
  change: 'added' | 'removed' | 'changed';
  /** For added and removed entities: a one-line description. */
  description?: string;
  fields: FieldChange[];
  a?: Where;
  b?: Where;
}

export interface OrderChange {
  kind: EntityKind;
  /** Names present on both sides, in each side's order. */
  from: string[];
  to: string[];
  a?: Where;
  b?: Where;
}

export interface CostDelta {
  block: string;
  kind: BlockCost['kind'];
  from: { params: number; flops: number } | null;
  to: { params: number; flops: number } | null;
  params: number;
  flops: number;
}

export interface SettingChange {
  /** Dotted, features by name: "training.epochs", "features.user_age.normalization". */
  setting: string;
  from: unknown;
  to: unknown;
  a?: Where;
  b?: Where;
}

export interface SideInfo {
  file: string;
  name: string;
  family: string;
  params: number;
  flops: number;
}

export interface ModelDiff {
  a: SideInfo;
  b: SideInfo;
  sameModel: boolean;
  family: { from: string; to: string; a?: Where; b?: Where } | null;
  changes: EntityChange[];
  order: OrderChange[];
  cost: { blocks: CostDelta[]; total: CostDelta };
  /** Training, data and metadata: listed, but they do not make the models different. */
  settings: SettingChange[];
}

// ---------------------------------------------------------------------------------------------
// Comparing
// ---------------------------------------------------------------------------------------------

const KIND_ORDER: readonly EntityKind[] = [
  'model',
  'feature',
  'embedding',
  'group',
  'scenario',
  'pool',
  'gate',
  'tower',
  'auxiliary',
  'task',
];

/** The IR as compared: without `path` anywhere and without the top-level `name`. */
export function canonicalIr(ir: ModelIR): string {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (k !== 'path') out[k] = strip(x);
      return out;
    }
    return v;
  };
  const { name: _name, ...rest } = ir;
  return stableStringify(strip(rest), 0);
}

const same = (x: unknown, y: unknown) => stableStringify(x, 0) === stableStringify(y, 0);

const headWords = (h: HeadIR) => (h.kind === 'product' ? `product ${h.of.join(' x ')}` : `tower ${h.tower}`);
const refs = (rs: readonly RefIR[]) => rs.map((r) => r.name);

interface Entity {
  name: string;
  /** Spec pointer of the entity. */
  path: string;
  /** Compared fields: display value per field. */
  fields: Record<string, unknown>;
  /** Spec key of a field, when it differs from the field name (for locations). */
  keys?: Record<string, string>;
  derived?: readonly string[];
  description: string;
}

type NodeKindName = Exclude<EntityKind, 'model'>;
type Node = Record<string, unknown> & { name?: string; path?: string };

/**
 * What diff knows per kind of node: where the nodes are, their one-line description, and, for
 * locations only, the spec key of a field whose name differs and which fields are computed. The
 * fields themselves are not listed here: every field a node carries is compared (fieldsOf).
 */
interface KindInfo {
  nodes: (ir: ModelIR) => Node[];
  name?: (n: Node) => string;
  path?: (n: Node, ir: ModelIR) => string;
  keys?: (n: Node) => Record<string, string>;
  derived?: readonly string[];
  describe: (n: Node, ir: ModelIR) => string;
}

const mlpWords = (m: { units: number[]; activation: string; batchNorm: boolean }) =>
  `[${m.units.join(', ')}] ${m.activation}${m.batchNorm ? ', batch norm' : ''}`;
const asNodes = (xs: readonly object[]) => xs as unknown as Node[];

const KINDS: Record<NodeKindName, KindInfo> = {
  feature: {
    nodes: (ir) => asNodes(ir.features),
    keys: () => ({ kind: 'type', width: 'embeddingDim', embedding: 'sharedEmbedding', cross: 'of' }),
    describe: (n) => {
      const f = n as unknown as FeatureIR;
      const kind = f.cross ? `hashed cross of ${f.cross.join(' x ')}` : f.kind;
      return `${kind}, width ${f.width}${f.embedding ? `, table ${f.embedding}` : ''}`;
    },
  },
  embedding: {
    nodes: (ir) => asNodes(ir.embeddings),
    path: (n, ir) => ir.features.find((f) => f.name === (n as unknown as EmbeddingIR).features[0])?.path ?? '/features',
    keys: () => ({ dim: 'embeddingDim', vocabSize: '' }),
    describe: (n) => {
      const e = n as unknown as EmbeddingIR;
      return `${e.vocabSize === null ? 'vocabulary learned from data' : `${formatCount(e.vocabSize)} ids`} x ${e.dim}, for ${e.features.join(', ')}`;
    },
  },
  group: {
    nodes: (ir) => asNodes(ir.groups),
    keys: () => ({ features: '' }),
    derived: ['width'],
    describe: (n) => {
      const g = n as unknown as GroupIR;
      return `${g.features.join(', ')} (width ${g.width})`;
    },
  },
  scenario: {
    nodes: (ir) => (ir.scenario ? asNodes([ir.scenario]) : []),
    name: (n) => String(n.feature),
    path: () => '/scenarios',
    describe: (n) => {
      const s = n as unknown as ScenarioIR;
      return `${s.feature}: ${s.values.join(', ')} (embedding ${s.embeddingDim})`;
    },
  },
  pool: {
    nodes: (ir) => asNodes(ir.levels.flatMap((l) => l.pools)),
    keys: () => ({ level: '', inputWidth: 'inputs' }),
    derived: ['inputWidth', 'outputWidth'],
    describe: (n) => {
      const p = n as unknown as PoolIR;
      return `level ${p.level + 1}, ${p.count} x ${mlpWords(p)}, reads ${refs(p.inputs).join(', ')}`;
    },
  },
  gate: {
    nodes: (ir) => asNodes(ir.levels.flatMap((l) => l.gates)),
    keys: () => ({ level: '', numExperts: 'pools', inputWidth: 'inputs' }),
    derived: ['numExperts', 'inputWidth', 'outputWidth'],
    describe: (n) => {
      const g = n as unknown as GateIR;
      return `level ${g.level + 1}, softmax over ${g.pools.join(', ')} (${g.numExperts} experts)${g.scenarioAware ? ', scenario-aware' : ''}`;
    },
  },
  tower: {
    nodes: (ir) => asNodes(ir.towers),
    keys: () => ({ inputWidth: 'input' }),
    derived: ['inputWidth', 'outputWidth'],
    describe: (n) => {
      const t = n as unknown as TowerIR;
      return `${mlpWords(t)} on ${t.input.name}${t.perScenario.length ? `, one per scenario (${t.perScenario.join(', ')})` : ''}${t.star ? ', STAR shared x scenario weights' : ''}`;
    },
  },
  auxiliary: {
    nodes: (ir) => (ir.scenarioAuxiliary ? asNodes([ir.scenarioAuxiliary]) : []),
    name: () => 'scenario auxiliary network',
    path: () => '/model/scenarioAuxiliary',
    keys: () => ({ inputWidth: 'inputs', tasks: '' }),
    derived: ['inputWidth', 'outputWidth', 'tasks'],
    describe: (n) => {
      const a = n as unknown as ScenarioAuxiliaryIR;
      return `STAR auxiliary ${mlpWords(a)} on the scenario embedding${a.inputs.length ? ` and ${refs(a.inputs).join(', ')}` : ''}, a logit for ${a.tasks.join(', ')}`;
    },
  },
  task: {
    nodes: (ir) => asNodes(ir.tasks),
    keys: (n) => ({ head: (n as unknown as TaskIR).head.kind === 'product' ? 'product' : 'tower' }),
    describe: (n) => {
      const t = n as unknown as TaskIR;
      return `${t.type}, ${t.label ? `label ${t.label}` : 'no label'}, ${headWords(t.head)}`;
    },
  },
};

// The top-level IR members that hold nodes (compared per node above); every other member is
// compared as a model-level setting, `levels` by its count.
const NODE_MEMBERS: ReadonlySet<string> = new Set([
  'features',
  'embeddings',
  'groups',
  'scenario',
  'levels',
  'towers',
  'scenarioAuxiliary',
  'tasks',
]);
const MODEL_PATHS: Record<string, string> = { irVersion: '/specVersion', levels: '/model/levels' };

const isRef = (v: unknown): v is RefIR =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.keys(v).length === 3 &&
  'kind' in v &&
  'name' in v &&
  'width' in v;

// How some field values read in a diff; anything else shows as it is (JSON for objects).
const DISPLAY: Record<string, (v: never) => unknown> = {
  head: (h: HeadIR) => headWords(h),
  sampleSpace: (s: TaskIR['sampleSpace']) => (s ? `${s.column} = ${String(s.equals)}` : null),
};

/**
 * Every field of a node, read off the node itself, so a field added to the IR is compared
 * without touching this file. `name`, `path` and the node's kind tag are identity, not fields;
 * levels are shown 1-based; a reference shows as its name (a single one also as `<field>Width`);
 * widths computed from other fields (`...Width`) come last.
 */
export function fieldsOf(node: Node, kind: NodeKindName): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const widths: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'name' || k === 'path' || (k === 'kind' && v === kind)) continue;
    if (k === 'level' && typeof v === 'number') out[k] = v + 1;
    else if (isRef(v)) {
      out[k] = v.name;
      widths[`${k}Width`] = v.width;
    } else if (Array.isArray(v) && v.length > 0 && v.every(isRef)) out[k] = refs(v);
    else if (/.Width$/.test(k)) widths[k] = v;
    else out[k] = k in DISPLAY ? DISPLAY[k](v as never) : (v ?? null);
  }
  return { ...out, ...widths };
}

function entities(ir: ModelIR): Record<NodeKindName, Entity[]> {
  const out = {} as Record<NodeKindName, Entity[]>;
  for (const [kind, info] of Object.entries(KINDS) as [NodeKindName, KindInfo][]) {
    out[kind] = info.nodes(ir).map((n) => ({
      name: info.name ? info.name(n) : String(n.name),
      path: info.path ? info.path(n, ir) : String(n.path),
      fields: fieldsOf(n, kind),
      keys: info.keys?.(n),
      derived: info.derived,
      description: info.describe(n, ir),
    }));
  }
  return out;
}

function whereOf(side: DiffSide, path: string | undefined): Where | undefined {
  if (path === undefined || !side.locs) return undefined;
  const l = locate(side.locs, path)?.value;
  return l ? { file: l.file, line: l.line, column: l.column } : undefined;
}

function fieldPath(e: Entity, field: string): string {
  const key = e.keys?.[field] ?? field;
  return key ? pointer(e.path, key) : e.path;
}

/** Relative order of the names both lists share, when it differs. */
function orderChange(a: readonly string[], b: readonly string[]): { from: string[]; to: string[] } | undefined {
  const inB = new Set(b);
  const inA = new Set(a);
  const from = a.filter((n) => inB.has(n));
  const to = b.filter((n) => inA.has(n));
  return from.join('\u0000') === to.join('\u0000') ? undefined : { from, to };
}

function diffEntities(
  kind: NodeKindName,
  as: Entity[],
  bs: Entity[],
  A: DiffSide,
  B: DiffSide,
): { changes: EntityChange[]; order?: OrderChange } {
  const changes: EntityChange[] = [];
  const byB = new Map(bs.map((e) => [e.name, e]));
  const byA = new Map(as.map((e) => [e.name, e]));
  for (const ea of as) {
    const eb = byB.get(ea.name);
    if (!eb) {
      changes.push({
        kind,
        name: ea.name,
        change: 'removed',
        description: ea.description,
        fields: [],
        a: whereOf(A, ea.path),
      });
      continue;
    }
    const fields: FieldChange[] = [];
    for (const f of Object.keys({ ...ea.fields, ...eb.fields })) {
      const from = ea.fields[f] ?? null;
      const to = eb.fields[f] ?? null;
      if (same(from, to)) continue;
      fields.push({
        field: f,
        from,
        to,
        derived: (ea.derived ?? []).includes(f),
        a: whereOf(A, fieldPath(ea, f)),
        b: whereOf(B, fieldPath(eb, f)),
      });
    }
    if (fields.length)
      changes.push({ kind, name: ea.name, change: 'changed', fields, a: whereOf(A, ea.path), b: whereOf(B, eb.path) });
  }
  for (const eb of bs)
    if (!byA.has(eb.name))
      changes.push({
        kind,
        name: eb.name,
        change: 'added',
        description: eb.description,
        fields: [],
        b: whereOf(B, eb.path),
      });
  const o = orderChange(
    as.map((e) => e.name),
    bs.map((e) => e.name),
  );
  const listPath = (e: Entity | undefined) => (e ? e.path.slice(0, e.path.lastIndexOf('/')) : undefined);
  return {
    changes,
    ...(o ? { order: { kind, ...o, a: whereOf(A, listPath(as[0])), b: whereOf(B, listPath(bs[0])) } } : {}),
  };
}

/** Model-level members (everything but the nodes), as dotted leaves: "irVersion", "lowering.gates". */
function modelFields(ir: ModelIR): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const leaves = (v: unknown, at: string) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v))
      for (const [k, x] of Object.entries(v)) leaves(x, `${at}.${k}`);
    else out.set(at, v ?? null);
  };
  for (const [k, v] of Object.entries(ir)) {
    if (k === 'name' || k === 'family') continue;
    if (k === 'levels') out.set(k, ir.levels.length);
    else if (!NODE_MEMBERS.has(k)) leaves(v, k);
  }
  return out;
}

function modelChange(A: DiffSide, B: DiffSide): EntityChange | undefined {
  const fields: FieldChange[] = [];
  const fa = modelFields(A.ir);
  const fb = modelFields(B.ir);
  for (const field of new Set([...fa.keys(), ...fb.keys()])) {
    const from = fa.get(field) ?? null;
    const to = fb.get(field) ?? null;
    const path = MODEL_PATHS[field] ?? `/model/${field.replace(/\./g, '/')}`;
    if (!same(from, to)) fields.push({ field, from, to, derived: false, a: whereOf(A, path), b: whereOf(B, path) });
  }
  return fields.length
    ? { kind: 'model', name: '', change: 'changed', fields, a: whereOf(A, '/model'), b: whereOf(B, '/model') }
    : undefined;
}

function diffCost(a: CostSummary, b: CostSummary): ModelDiff['cost'] {
  const byB = new Map(b.blocks.map((x) => [x.block, x]));
  const byA = new Map(a.blocks.map((x) => [x.block, x]));
  const pc = (x: BlockCost | undefined) => (x ? { params: x.params, flops: x.flops } : null);
  const delta = (
    block: string,
    kind: BlockCost['kind'],
    x: BlockCost | undefined,
    y: BlockCost | undefined,
  ): CostDelta => ({
    block,
    kind,
    from: pc(x),
    to: pc(y),
    params: (y?.params ?? 0) - (x?.params ?? 0),
    flops: (y?.flops ?? 0) - (x?.flops ?? 0),
  });
  // Blocks in b's order, a block only a has placed where it stood in a.
  const names: string[] = [];
  const seen = new Set<string>();
  let i = 0;
  const emit = (n: string) => {
    if (!seen.has(n)) seen.add(n), names.push(n);
  };
  for (const y of b.blocks) {
    const at = a.blocks.findIndex((x) => x.block === y.block);
    if (at >= 0) for (; i <= at; i++) emit(a.blocks[i].block);
    // removed blocks of this gap come before the added ones
    else for (; i < a.blocks.length && !byB.has(a.blocks[i].block); i++) emit(a.blocks[i].block);
    emit(y.block);
  }
  for (; i < a.blocks.length; i++) emit(a.blocks[i].block);
  const blocks: CostDelta[] = [];
  for (const n of names) {
    const x = byA.get(n);
    const y = byB.get(n);
    if (!x || !y || y.params !== x.params || y.flops !== x.flops || y.kind !== x.kind)
      blocks.push(delta(n, (y ?? x)!.kind, x, y));
  }
  const total: CostDelta = {
    block: 'total',
    kind: 'head',
    from: { params: a.params, flops: a.flops },
    to: { params: b.params, flops: b.flops },
    params: b.params - a.params,
    flops: b.flops - a.flops,
  };
  return { blocks, total };
}

// Feature keys that shape the data pipeline but are not (all) carried by the IR. Keys that also
// change the IR (hashBuckets changes a table's vocabulary size) appear in both lists: the model
// section shows the effect, this one the cause.
const PIPELINE_KEYS = [
  'normalization',
  'missing',
  'separator',
  'minCount',
  'topK',
  'oovBuckets',
  'encoding',
  'hashBuckets',
  'numIds',
  'vocabulary',
  'vocabularyFile',
  'boundaries',
  'description',
] as const;

function diffSettings(A: DiffSide, B: DiffSide): SettingChange[] {
  if (!A.spec || !B.spec) return [];
  const out: SettingChange[] = [];
  const leaf = (x: unknown, y: unknown, shown: string, pa: string, pb: string) => {
    const isObj = (v: unknown): v is Record<string, unknown> =>
      typeof v === 'object' && v !== null && !Array.isArray(v);
    if (isObj(x) && isObj(y)) {
      for (const k of Object.keys({ ...x, ...y })) leaf(x[k], y[k], `${shown}.${k}`, pointer(pa, k), pointer(pb, k));
      return;
    }
    if (same(x ?? null, y ?? null)) return;
    out.push({
      setting: shown,
      from: x ?? null,
      to: y ?? null,
      a: x === undefined ? undefined : whereOf(A, pa),
      b: y === undefined ? undefined : whereOf(B, pb),
    });
  };
  const sa = A.spec;
  const sb = B.spec;
  leaf(sa.name, sb.name, 'name', '/name', '/name');
  leaf(sa.description, sb.description, 'description', '/description', '/description');
  leaf(sa.data, sb.data, 'data', '/data', '/data');
  leaf(sa.training, sb.training, 'training', '/training', '/training');
  leaf(sa.limits, sb.limits, 'limits', '/limits', '/limits');
  const fb = new Map(sb.features.map((f, i) => [f.name, { f, i }]));
  sa.features.forEach((f, i) => {
    const other = fb.get(f.name);
    if (!other) return; // an added or removed feature is a model change
    const pick = (x: Feature) => Object.fromEntries(PIPELINE_KEYS.map((k) => [k, (x as Record<string, unknown>)[k]]));
    leaf(pick(f), pick(other.f), `features.${f.name}`, pointer('/features', i), pointer('/features', other.i));
  });
  return out;
}

/** First pointer where two JSON values differ (the safety net behind the named comparisons). */
function firstDifference(x: unknown, y: unknown, path = ''): { path: string; from: unknown; to: unknown } | undefined {
  if (same(x, y)) return undefined;
  if (x && y && typeof x === 'object' && typeof y === 'object' && Array.isArray(x) === Array.isArray(y)) {
    const keys = Array.isArray(x)
      ? [...Array(Math.max(x.length, (y as unknown[]).length)).keys()].map(String)
      : Object.keys({ ...x, ...y });
    for (const k of keys) {
      const d = firstDifference((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${path}/${k}`);
      if (d) return d;
    }
  }
  return { path: path || '/', from: x, to: y };
}

export function diffModels(A: DiffSide, B: DiffSide): ModelDiff {
  const ea = entities(A.ir);
  const eb = entities(B.ir);
  const changes: EntityChange[] = [];
  const order: OrderChange[] = [];
  const m = modelChange(A, B);
  if (m) changes.push(m);
  for (const kind of KIND_ORDER) {
    if (kind === 'model') continue;
    const d = diffEntities(kind, ea[kind], eb[kind], A, B);
    changes.push(...d.changes);
    if (d.order) order.push(d.order);
  }
  const family =
    A.ir.family.label !== B.ir.family.label
      ? { from: A.ir.family.label, to: B.ir.family.label, a: whereOf(A, '/model'), b: whereOf(B, '/model') }
      : null;
  const sameModel = canonicalIr(A.ir) === canonicalIr(B.ir);
  if (!sameModel && !changes.length && !order.length && !family) {
    const d = firstDifference(JSON.parse(canonicalIr(A.ir)), JSON.parse(canonicalIr(B.ir)))!;
    changes.push({
      kind: 'model',
      name: '',
      change: 'changed',
      fields: [{ field: `IR ${d.path}`, from: d.from, to: d.to, derived: false }],
    });
  }
  const info = (s: DiffSide): SideInfo => ({
    file: s.file,
    name: s.ir.name,
    family: s.ir.family.label,
    params: s.cost.params,
    flops: s.cost.flops,
  });
  return {
    a: info(A),
    b: info(B),
    sameModel,
    family,
    changes,
    order,
    cost: diffCost(A.cost, B.cost),
    settings: diffSettings(A, B),
  };
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return 'none';
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (typeof v === 'number') return Number.isInteger(v) ? formatCount(v) : String(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export const formatWhere = (w: Where | undefined) => (w ? `${w.file}:${w.line}:${w.column}` : '—');

const KIND_TITLES: Record<EntityKind, string> = {
  model: 'model',
  feature: 'features',
  embedding: 'embedding tables',
  group: 'feature groups',
  scenario: 'scenarios',
  pool: 'expert pools',
  gate: 'gates',
  tower: 'towers',
  auxiliary: 'scenario auxiliary network',
  task: 'tasks',
};

function costCell(d: CostDelta, what: 'params' | 'flops'): string {
  const from = d.from ? formatCount(d.from[what]) : '—';
  const to = d.to ? formatCount(d.to[what]) : '—';
  if (from === to) return from;
  return d[what] === 0 ? `${from} -> ${to}` : `${from} -> ${to} (${formatDelta(d[what])})`;
}

function verdict(d: ModelDiff): string {
  return d.sameModel ? 'same model' : 'different model';
}

export function renderDiffText(d: ModelDiff): string {
  const out: string[] = [];
  out.push(`${d.a.file} -> ${d.b.file}: ${verdict(d)}`);
  if (d.sameModel)
    out.push(`  ${d.a.family}, ${formatCount(d.a.params)} parameters, ${formatCount(d.a.flops)} FLOPs per example`);
  if (d.family)
    out.push(
      '',
      `family: ${d.family.from} -> ${d.family.to}    ${formatWhere(d.family.a)} -> ${formatWhere(d.family.b)}`,
    );
  for (const kind of KIND_ORDER) {
    const cs = d.changes.filter((c) => c.kind === kind);
    const o = d.order.find((x) => x.kind === kind);
    if (!cs.length && !o) continue;
    out.push('', KIND_TITLES[kind]);
    for (const c of cs) {
      if (c.kind === 'model') {
        for (const f of c.fields)
          out.push(
            `  ~ ${f.field}: ${formatValue(f.from)} -> ${formatValue(f.to)}    ${formatWhere(f.a)} -> ${formatWhere(f.b)}`,
          );
        continue;
      }
      const name = c.name || 'model';
      if (c.change === 'removed') out.push(`  - ${name}: ${c.description}    ${formatWhere(c.a)}`);
      else if (c.change === 'added') out.push(`  + ${name}: ${c.description}    ${formatWhere(c.b)}`);
      else {
        out.push(`  ~ ${name}    ${formatWhere(c.a)} -> ${formatWhere(c.b)}`);
        for (const f of c.fields) {
          // A field written elsewhere than its entity (another line or file) gets its own location.
          const moved = (w: Where | undefined, e: Where | undefined) =>
            w && e && (w.file !== e.file || w.line !== e.line);
          const at =
            !f.derived && (moved(f.a, c.a) || moved(f.b, c.b)) ? `    ${formatWhere(f.a)} -> ${formatWhere(f.b)}` : '';
          out.push(
            `      ${f.field}: ${formatValue(f.from)} -> ${formatValue(f.to)}${f.derived ? ' (derived)' : ''}${at}`,
          );
        }
      }
    }
    if (o)
      out.push(`  order: ${o.from.join(', ')} -> ${o.to.join(', ')}    ${formatWhere(o.a)} -> ${formatWhere(o.b)}`);
  }
  if (!d.sameModel) {
    out.push('', 'parameters and FLOPs per example');
    const rows = [
      ['block', 'parameters', 'FLOPs'],
      ...[...d.cost.blocks, d.cost.total].map((c) => [`  ${c.block}`, costCell(c, 'params'), costCell(c, 'flops')]),
    ];
    rows[0][0] = '  block';
    out.push(textTable(rows));
  }
  if (d.settings.length) {
    out.push('', 'training, data and metadata changes (the model is the same either way)');
    for (const s of d.settings)
      out.push(
        `  ~ ${s.setting}: ${formatValue(s.from)} -> ${formatValue(s.to)}    ${formatWhere(s.a)} -> ${formatWhere(s.b)}`,
      );
  }
  return out.join('\n');
}

// A code span safe in a GFM table cell (src/util/escape.ts); empty stays empty.
const code = (s: string) => (s ? mdCode(s) : '');
const mdWhere = (w: Where | undefined) => (w ? code(formatWhere(w)) : '—');

export function renderDiffMarkdown(d: ModelDiff, heading = '###'): string {
  const out: string[] = [];
  out.push(`${heading} ${code(d.a.file)} → ${code(d.b.file)}: ${verdict(d)}`);
  out.push('');
  if (d.sameModel)
    out.push(
      `Same model: ${mdCell(d.a.family)}, ${formatCount(d.a.params)} parameters, ${formatCount(d.a.flops)} FLOPs per example.`,
    );
  else {
    const fam = d.family ? `**${mdCell(d.family.from)} → ${mdCell(d.family.to)}**` : mdCell(d.a.family);
    out.push(
      `Family: ${fam}. Parameters ${costCell(d.cost.total, 'params').replace('->', '→')}; FLOPs per example ${costCell(d.cost.total, 'flops').replace('->', '→')}.`,
    );
  }
  const rows: string[][] = [];
  for (const kind of KIND_ORDER) {
    for (const c of d.changes.filter((x) => x.kind === kind)) {
      const details =
        c.change === 'changed'
          ? c.fields
              .map(
                (f) =>
                  `${code(f.field)}: ${code(formatValue(f.from))} → ${code(formatValue(f.to))}${f.derived ? ' (derived)' : ''}`,
              )
              .join('<br>')
          : mdCell(c.description ?? '');
      rows.push([c.change, KIND_TITLES[kind], code(c.name || 'model'), details, mdWhere(c.a), mdWhere(c.b)]);
    }
    const o = d.order.find((x) => x.kind === kind);
    if (o)
      rows.push([
        'reordered',
        KIND_TITLES[kind],
        '',
        `${mdCell(o.from.join(', '))} → ${mdCell(o.to.join(', '))}`,
        mdWhere(o.a),
        mdWhere(o.b),
      ]);
  }
  if (rows.length) out.push('', markdownTable(['Change', 'Kind', 'Name', 'Details', 'Before', 'After'], rows));
  if (!d.sameModel && d.cost.blocks.length) {
    const costRows = [...d.cost.blocks, d.cost.total].map((c) => [
      code(c.block),
      costCell(c, 'params').replace('->', '→'),
      costCell(c, 'flops').replace('->', '→'),
    ]);
    out.push(
      '',
      '<details><summary>Parameters and FLOPs per example, by block</summary>',
      '',
      markdownTable(['Block', 'Parameters', 'FLOPs'], costRows),
      '',
      '</details>',
    );
  }
  if (d.settings.length) {
    out.push('', '**Training, data and metadata changes** (the model is the same either way):', '');
    out.push(
      markdownTable(
        ['Setting', 'Before', 'After', 'Where'],
        d.settings.map((s) => [
          code(s.setting),
          code(formatValue(s.from)),
          code(formatValue(s.to)),
          `${mdWhere(s.a)} → ${mdWhere(s.b)}`,
        ]),
      ),
    );
  }
  return out.join('\n');
}

export function renderDiffJson(d: ModelDiff): string {
  return stableStringify(d, 2);
}
