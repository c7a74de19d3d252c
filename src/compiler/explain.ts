// Words for what a spec builds, from its IR: the family it equals, then experts, gates, towers,
// heads and size, e.g. "MMoE: 3 shared experts [512, 256, 128] (leaky ReLU, batch norm), one
// softmax gate per task over all 3, towers [64] for ctr and cvr; binary heads ctr (label click)
// and cvr (label conversion, counted only where click = 1). 782,096 parameters, 1.22 MFLOPs per
// example." Nothing here is chosen by family name: roles (shared or task-specific experts, a
// gate per task) are read off the graph (analysis.ts), so a custom graph is described just as
// faithfully.
import { taskLossWords } from './explain-training.js';
import { analyzeIr, type IrAnalysis } from './analysis.js';
import type { CostSummary } from './cost.js';
import type { CrossIR, FamilyIR, GateIR, LevelIR, MlpIR, ModelIR, PoolIR, TaskIR, TowerIR } from './ir.js';
import { formatCount, formatFlops, formatUnits, summarize, type ModelSummary } from './summary.js';

export interface Explanation {
  name: string;
  family: FamilyIR;
  /** The whole statement: architecture, heads, size. */
  text: string;
  architecture: string;
  heads: string;
  size: string;
  /** A second paragraph on what the model reads. */
  inputs: string;
}

const ACTIVATION_NAMES: Record<string, string> = {
  relu: 'ReLU',
  leaky_relu: 'leaky ReLU',
  elu: 'ELU',
  selu: 'SELU',
  gelu: 'GELU',
  tanh: 'tanh',
  sigmoid: 'sigmoid',
  swish: 'swish',
  linear: 'linear',
};

/** "a", "a and b", "a, b and c" */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const plural = (n: number, one: string, many = `${one}s`) => (n === 1 ? one : many);

/** "(leaky ReLU, batch norm, dropout 0.1)" */
function style(m: Pick<MlpIR, 'activation' | 'batchNorm' | 'dropout' | 'l2'> & { cross?: CrossIR }): string {
  const parts = [ACTIVATION_NAMES[m.activation] ?? m.activation];
  if (m.batchNorm) parts.push('batch norm');
  if (m.dropout > 0) parts.push(`dropout ${m.dropout}`);
  if (m.l2 > 0) parts.push(`L2 ${m.l2}`);
  if (m.cross) parts.push(crossWords(m.cross));
  return parts.join(', ');
}

/** "each after 2 DCN-v2 cross layers" (of rank r): each expert crosses its input before its MLP. */
function crossWords(c: CrossIR): string {
  return `each after ${c.layers} DCN-v2 cross ${c.layers === 1 ? 'layer' : 'layers'}${c.rank === null ? '' : ` of rank ${c.rank}`}`;
}

/** Tower style is only worth words when it is not the plain default. */
function towerStyle(t: MlpIR): string {
  return t.activation === 'relu' && !t.batchNorm && t.dropout === 0 && t.l2 === 0 ? '' : ` (${style(t)})`;
}

const sameMlp = (a: PoolIR, b: PoolIR) =>
  a.count === b.count && a.units.join() === b.units.join() && style(a) === style(b);

/** "3 shared experts [512, 256, 128] (leaky ReLU, batch norm) and 1 expert each for ctr and cvr [64]" */
function describePools(level: LevelIR, r: IrAnalysis, sharedBottom: boolean): string {
  const phrases: string[] = [];
  let lastStyle = '';
  const withStyle = (p: PoolIR, text: string) => {
    const s = style(p);
    const out = s === lastStyle ? text : `${text} (${s})`;
    lastStyle = s;
    return out;
  };
  const experts = (n: number) => `${n} ${plural(n, 'expert')}`;
  const specific: PoolIR[] = [];
  for (const p of level.pools) {
    const tasks = r.tasksOf('pool', p.name);
    if (sharedBottom && p.count === 1 && tasks.length > 1)
      phrases.push(withStyle(p, `one shared bottom MLP ${formatUnits(p.units)}`));
    else if (r.isShared('pool', p.name))
      phrases.push(withStyle(p, `${p.count} shared ${plural(p.count, 'expert')} ${formatUnits(p.units)}`));
    else if (tasks.length === 1) specific.push(p);
    else if (tasks.length === 0)
      phrases.push(withStyle(p, `${experts(p.count)} ${formatUnits(p.units)} that no task uses (${p.name})`));
    else phrases.push(withStyle(p, `${experts(p.count)} ${formatUnits(p.units)} for ${listWords(tasks)}`));
  }
  // Task-specific pools alike in shape are said once: "1 expert each for ctr and cvr [64, 32]".
  const done = new Set<PoolIR>();
  for (const p of specific) {
    if (done.has(p)) continue;
    const alike = specific.filter((q) => !done.has(q) && sameMlp(p, q));
    alike.forEach((q) => done.add(q));
    const tasks = alike.map((q) => r.tasksOf('pool', q.name)[0]);
    phrases.push(
      withStyle(
        p,
        alike.length > 1
          ? `${experts(p.count)} each for ${listWords(tasks)} ${formatUnits(p.units)}`
          : `${experts(p.count)} for ${tasks[0]} ${formatUnits(p.units)}`,
      ),
    );
  }
  return listWords(phrases);
}

function gateModifiers(gates: readonly GateIR[], ir: ModelIR): string {
  const mods: string[] = [];
  const temps = new Set(gates.map((g) => g.temperature));
  if (temps.size === 1 && !temps.has(1)) mods.push(`temperature ${[...temps][0]}`);
  else if (temps.size > 1) mods.push(`temperatures ${gates.map((g) => `${g.name} ${g.temperature}`).join(', ')}`);
  const topKs = gates.filter((g) => g.topK !== null);
  if (topKs.length === gates.length && new Set(topKs.map((g) => g.topK)).size === 1)
    mods.push(`keeping the top ${topKs[0].topK}`);
  else for (const g of topKs) mods.push(`${g.name} keeps the top ${g.topK}`);
  const aware = gates.filter((g) => g.scenarioAware);
  if (aware.length && ir.scenario) {
    const who =
      aware.length === gates.length
        ? gates.length === 1
          ? 'the gate also reads'
          : 'the gates also read'
        : `${listWords(aware.map((g) => g.name))} also ${aware.length === 1 ? 'reads' : 'read'}`;
    mods.push(`${who} a ${ir.scenario.embeddingDim}-wide embedding of the scenario feature ${ir.scenario.feature}`);
  }
  return mods.length ? ` (${mods.join('; ')})` : '';
}

/** "one softmax gate per task over all 3", "each task's gate mixes its own and the shared experts (3 each)" */
function describeGates(level: LevelIR, r: IrAnalysis, ir: ModelIR): string {
  const gates = level.gates;
  if (!gates.length) return '';
  const allPools = level.pools
    .map((p) => p.name)
    .sort()
    .join();
  const total = level.pools.reduce((s, p) => s + p.count, 0);
  const mixesAll = (g: GateIR) => [...g.pools].sort().join() === allPools;
  const taskOf = (g: GateIR) => r.tasksOf('gate', g.name);
  const phrases: string[] = [];
  const mods = gateModifiers(gates, ir);

  if (gates.every(mixesAll)) {
    if (gates.length === 1) {
      const tasks = taskOf(gates[0]);
      return `one softmax gate over all ${total}${tasks.length > 1 ? `, shared by ${listWords(tasks)}` : ''}${mods}`;
    }
    const perTask =
      gates.every((g) => taskOf(g).length === 1) && new Set(gates.map((g) => taskOf(g)[0])).size === gates.length;
    if (perTask && gates.length === r.towerTasks.length) return `one softmax gate per task over all ${total}${mods}`;
    return `${gates.length} softmax gates over all ${total} (${listWords(gates.map((g) => `${g.name} for ${listWords(taskOf(g)) || 'no task'}`))})${mods}`;
  }

  // CGC: a task's gate mixes the pools only it uses plus the shared pools.
  const cgc = gates.filter((g) => {
    const tasks = taskOf(g);
    return (
      tasks.length === 1 &&
      !mixesAll(g) &&
      g.pools.every((p) => r.isShared('pool', p) || r.tasksOf('pool', p).join() === tasks.join()) &&
      g.pools.some((p) => r.tasksOf('pool', p).length === 1)
    );
  });
  if (cgc.length) {
    const counts = new Set(cgc.map((g) => g.numExperts));
    const each =
      counts.size === 1 ? `${[...counts][0]} each` : listWords(cgc.map((g) => `${taskOf(g)[0]} ${g.numExperts}`));
    const whose =
      cgc.length === r.towerTasks.length
        ? "each task's gate"
        : `the gates of ${listWords(cgc.map((g) => taskOf(g)[0]))}`;
    phrases.push(`${whose} mixes its own and the shared experts (${each})`);
  }
  for (const g of gates) {
    if (cgc.includes(g)) continue;
    if (mixesAll(g) && r.isShared('gate', g.name)) phrases.push(`a shared gate mixes all ${total}`);
    else {
      const tasks = taskOf(g);
      phrases.push(
        `gate ${g.name} mixes ${listWords(g.pools)} (${g.numExperts} experts)${tasks.length ? ` for ${listWords(tasks)}` : ''}`,
      );
    }
  }
  return listWords(phrases) + mods;
}

/** How a level after the first reads the one before (PLE: each task's experts read its own gate). */
function describeLevelInputs(level: LevelIR, prev: LevelIR, r: IrAnalysis): string {
  const readers: (PoolIR | GateIR)[] = [...level.pools, ...level.gates];
  const matching = readers.every(
    (x) =>
      x.inputs.length === 1 &&
      x.inputs[0].kind === 'gate' &&
      r.tasksOf('gate', x.inputs[0].name).join() === r.tasksOf(x.kind, x.name).join(),
  );
  const n = prev.index + 1;
  if (matching) {
    const sharedGate = prev.gates.some(
      (g) => r.isShared('gate', g.name) && readers.some((x) => x.inputs[0].name === g.name),
    );
    return `each pool and gate reads the level-${n} gate of its own task${sharedGate ? ', the shared experts the shared gate' : ''}`;
  }
  return readers.map((x) => `${x.name} reads ${listWords(x.inputs.map((i) => i.name))}`).join(', ');
}

/** "towers [16] for ctr and cvr", "one tower [16] per scenario (home, search, detail) for ctr and cvr, chosen by scene" */
function describeTowers(ir: ModelIR, r: IrAnalysis): string {
  const tasksOf = (t: TowerIR) => {
    const ts = r.tasksOfTower.get(t.name) ?? [];
    return ts.length ? ts : [`${t.name} (no task)`];
  };
  const key = (t: TowerIR) => `${t.units.join()}|${towerStyle(t)}|${t.perScenario.join('\u0000')}|${t.star ?? ''}`;
  const groups = new Map<string, TowerIR[]>();
  for (const t of ir.towers) groups.set(key(t), [...(groups.get(key(t)) ?? []), t]);
  const phrases: string[] = [];
  for (const ts of groups.values()) {
    const t = ts[0];
    const who = listWords(ts.flatMap(tasksOf));
    if (t.star) {
      phrases.push(starTowerWords(ir, t, ts.length === 1 && tasksOf(t).length === 1, who));
      continue;
    }
    if (!t.units.length) {
      phrases.push(`no tower layers for ${who} (the head reads the ${t.input.kind} directly)`);
      continue;
    }
    if (t.perScenario.length) {
      const by = ir.scenario ? `, chosen by ${ir.scenario.feature}` : '';
      phrases.push(
        `one tower ${formatUnits(t.units)}${towerStyle(t)} per scenario (${t.perScenario.join(', ')}) for ${who}${by}`,
      );
    } else
      phrases.push(
        `${ts.length === 1 && tasksOf(t).length === 1 ? 'tower' : 'towers'} ${formatUnits(t.units)}${towerStyle(t)} for ${who}`,
      );
  }
  const aux = auxiliaryWords(ir);
  if (aux) phrases.push(aux);
  return listWords(phrases);
}

/** "STAR towers [16] for ctr and cvr (each layer and head: shared ⊙ scenario weights, ...)" */
function starTowerWords(ir: ModelIR, t: TowerIR, one: boolean, who: string): string {
  const by = ir.scenario ? ` of the row's ${ir.scenario.feature} (${ir.scenario.values.join(', ')})` : '';
  const what = t.units.length
    ? `STAR ${one ? 'tower' : 'towers'} ${formatUnits(t.units)}${towerStyle(t)} for ${who}`
    : `STAR heads for ${who} (no tower layers)`;
  return `${what} (every layer and head multiplies shared weights by those${by}: W = W_shared ⊙ W_scenario, b = b_shared + b_scenario)`;
}

/** "a scenario auxiliary network [8] over the scenario embedding and context, whose logit is added to ctr's and cvr's" */
function auxiliaryWords(ir: ModelIR): string {
  const a = ir.scenarioAuxiliary;
  if (!a || !ir.scenario) return '';
  const reads = [
    `the ${ir.scenario.embeddingDim}-wide ${ir.scenario.feature} embedding`,
    ...a.inputs.map((r) => r.name),
  ];
  const body = a.units.length ? `${formatUnits(a.units)}${towerStyle(a)}` : '(linear)';
  return `a scenario auxiliary network ${body} over ${listWords(reads)}, whose logit is added to the logit of ${listWords(a.tasks)}`;
}

function taskNotes(t: TaskIR, r: IrAnalysis): string {
  const notes: string[] = [];
  if (t.label) notes.push(`label ${t.label}`);
  else {
    const via = r.productsOf.get(t.name) ?? [];
    notes.push(via.length ? `no label: learned only through ${listWords(via)}` : 'no label');
    if (t.evaluation) notes.push(`evaluated (metrics only) on ${t.evaluation}`);
  }
  if (t.positive !== null && t.type !== 'multiclass') notes.push(`positive ${JSON.stringify(t.positive)}`);
  if (t.type === 'multiclass' && t.classes) notes.push(describeClasses(t.classes, t.topK));
  if (t.sampleSpace) notes.push(`counted only where ${t.sampleSpace.column} = ${String(t.sampleSpace.equals)}`);
  if (t.scenarios) notes.push(`trained only in ${listWords(t.scenarios)}`);
  if (t.sampleWeight) notes.push(`rows weighted by ${t.sampleWeight}`);
  const defaultLoss =
    t.type === 'regression' ? 'mse' : t.type === 'multiclass' ? 'categorical_crossentropy' : 'binary_crossentropy';
  if (t.loss !== defaultLoss) notes.push(`${t.loss} loss`);
  if (t.weight !== 1) notes.push(`weight ${t.weight}`);
  notes.push(...taskLossWords(t));
  return `${t.name} (${notes.join(', ')})`;
}

/** "14 classes (Prof-specialty, Craft-repair, ..., Armed-Forces), top-3 accuracy" */
function describeClasses(classes: readonly (string | number)[], topK: number | undefined): string {
  const names = classes.map(String);
  const shown =
    names.length <= 4 ? names.join(', ') : `${names.slice(0, 3).join(', ')}, ..., ${names[names.length - 1]}`;
  return `${names.length} classes (${shown})${topK !== undefined ? `, top-${topK} accuracy` : ''}`;
}

/** "binary heads ctr (label click) and cvr (...)", then ESMM products: "ctcvr = ctr × cvr (label conversion)" */
function describeHeads(ir: ModelIR, r: IrAnalysis): string {
  const phrases: string[] = [];
  for (const type of ['binary', 'regression', 'multiclass'] as const) {
    const ts = ir.tasks.filter((t) => t.head.kind === 'tower' && t.type === type);
    const kind = type === 'multiclass' ? 'multi-class softmax' : type;
    if (ts.length) phrases.push(`${kind} ${plural(ts.length, 'head')} ${listWords(ts.map((t) => taskNotes(t, r)))}`);
  }
  const products = ir.tasks.filter((t) => t.head.kind === 'product');
  const productWords = products.map(
    (t) =>
      `${t.name} = ${t.head.kind === 'product' ? t.head.of.join(' × ') : ''} (${taskNotes(t, r).slice(t.name.length + 2, -1)})`,
  );
  const heads = listWords(phrases);
  if (!productWords.length) return heads;
  return `${heads}${heads ? ', and ' : ''}the ${plural(products.length, 'product')} ${listWords(productWords)}`;
}

function describeSize(cost: CostSummary): string {
  const unknown = cost.unknownTables.length
    ? ` (not counting ${listWords(cost.unknownTables)}, whose vocabulary is learned from data)`
    : '';
  return `${formatCount(cost.params)} parameters${unknown}, ${formatFlops(cost.flops)} per example`;
}

function describeInputs(ir: ModelIR, s: ModelSummary, r: IrAnalysis): string {
  const read = r.groupsRead;
  const groups = ir.groups.map(
    (g) =>
      `${g.name} (${g.features.length} ${plural(g.features.length, 'feature')}, ${g.width} wide${read.has(g.name) ? '' : ', not read'})`,
  );
  const shared = ir.embeddings
    .filter((e) => e.features.length > 1)
    .map((e) => `${e.name} is shared by ${listWords(e.features)}`);
  const embParams = s.byKind.embedding.params;
  let text = `Inputs: ${ir.features.length} ${plural(ir.features.length, 'feature')} in ${ir.groups.length} ${plural(ir.groups.length, 'group')}: ${listWords(groups)}; ${ir.embeddings.length} embedding ${plural(ir.embeddings.length, 'table')} with ${formatCount(embParams)} parameters`;
  if (shared.length) text += ` (${listWords(shared)})`;
  if (ir.scenario) {
    const used = ir.family.multiScenario || ir.tasks.some((t) => t.scenarios);
    text += `; scenario feature ${ir.scenario.feature} (${listWords(ir.scenario.values)})${used ? '' : ', declared but not used by the model'}`;
  }
  return text + '.' + describeAttention(ir) + describeCrosses(ir);
}

/** " user_gender_x_item_category is a hashed cross of user_gender and item_category: ..." */
function describeCrosses(ir: ModelIR): string {
  const tables = new Map(ir.embeddings.map((e) => [e.name, e]));
  return ir.features
    .filter((f) => f.cross)
    .map((f) => {
      const t = f.embedding ? tables.get(f.embedding) : undefined;
      const buckets = t?.vocabSize ? `${t.vocabSize - 1} buckets (plus one id for a missing component)` : 'its buckets';
      return ` ${f.name} is a hashed cross of ${listWords(f.cross!)}: the values of each row are joined and hashed (FNV-1a 32) into ${buckets}, with its own ${f.width}-wide embedding.`;
    })
    .join('');
}

/** " user_history is pooled by target attention (DIN) against item_category: ..." */
function describeAttention(ir: ModelIR): string {
  return ir.features
    .filter((f) => f.attention)
    .map((f) => {
      const a = f.attention!;
      const weights = a.softmax
        ? 'weights softmax-normalised over the non-padding positions'
        : 'raw weights, not normalised (as in DIN)';
      return ` ${f.name} is pooled by target attention (DIN) against ${a.target}: an MLP ${formatUnits(a.units)} (${ACTIVATION_NAMES[a.activation] ?? a.activation}) and a Dense(1) score over [h, t, h - t, h * t] for each of its ${f.maxLength} positions, ${weights}, padding masked.`;
    })
    .join('');
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function explain(ir: ModelIR, cost: CostSummary, r: IrAnalysis = analyzeIr(ir)): Explanation {
  const sharedBottom = ir.levels.length === 1 && ir.levels[0].gates.length === 0;
  const towers = describeTowers(ir, r);
  let architecture: string;
  if (ir.levels.length === 1) {
    const [level] = ir.levels;
    architecture = [describePools(level, r, sharedBottom), describeGates(level, r, ir), towers]
      .filter(Boolean)
      .join(', ');
  } else {
    const parts = ir.levels.map((level, i) => {
      const reads = i > 0 ? ` (${describeLevelInputs(level, ir.levels[i - 1], r)})` : '';
      return `level ${i + 1}${reads}: ${[describePools(level, r, false), describeGates(level, r, ir)].filter(Boolean).join('; ')}`;
    });
    architecture = `${ir.levels.length} levels. ${parts.map((p) => capitalise(p) + '.').join(' ')} ${capitalise(towers)}`;
  }
  const heads = describeHeads(ir, r);
  const size = describeSize(cost);
  const text = `${ir.family.label}: ${architecture}; ${heads}. ${size}.`;
  return {
    name: ir.name,
    family: ir.family,
    text,
    architecture,
    heads,
    size,
    inputs: describeInputs(ir, summarize(ir, cost, r), r),
  };
}

/** Wrap at word boundaries for the terminal. */
export function wrap(text: string, width = 100): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

export function renderExplanationText(e: Explanation, width = 100): string {
  return `${wrap(e.text, width)}\n\n${wrap(e.inputs, width)}`;
}
