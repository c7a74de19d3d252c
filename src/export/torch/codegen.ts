// The PyTorch target: ModelIR (+ the weight names of the built tfjs model) -> model.py, an
// nn.Module composed of the generic blocks in targets/torch/mmoe_layers.py, and weights_map.json,
// which says where every torch parameter's values sit among the tfjs weights. The map is the one
// place that knows both layouts; targets/torch/mmoe_weights.py applies it in both directions
// (tfjs -> torch to start from a built or trained model, torch -> tfjs to write a model folder
// that the tfjs engine serves unchanged).
//
// Submodules are named like the IR: tables.<table>, pools.<pool>, gates.<gate>, towers.<tower>,
// heads.<task>. Every pool runs as one batched product whatever the tfjs lowering was, and the
// gates of a level that read the same input run as one product: the same function, faster in torch.
import type { GateIR, ModelIR, PoolIR, RefIR, TaskIR, TowerIR } from '../../compiler/ir.js';
import { crossName, expertPrefix } from '../../compiler/build/cross-names.js';
import { layerName, SCENARIO_INPUT } from '../../compiler/build/names.js';
import { starLayerName } from '../../compiler/build/star.js';
import { reachability, type Reachability } from '../../compiler/reachability.js';

/** How a torch parameter is read from the tfjs weights (and written back). */
export type WeightSource =
  /** the tfjs weight as it is */
  | { kind: 'same'; name: string }
  /** one tfjs weight per expert, stacked on a new leading axis */
  | { kind: 'stack'; names: string[] }
  /** a fused first expert layer: tfjs [in, E*out] is torch [E, in, out]; tfjs [E*out] is torch [E, out] */
  | { kind: 'experts'; name: string; count: number }
  /** columns begin..begin+size of a fused gate Dense (kernel [in, N] or bias [N]) */
  | { kind: 'columns'; name: string; begin: number; size: number };

export interface WeightMapEntry {
  param: string;
  shape: number[];
  source: WeightSource;
}

export interface TorchModule {
  modelPy: string;
  weightMap: WeightMapEntry[];
}

export interface ModelInputInfo {
  name: string;
  dtype: 'float32' | 'int32';
  width: number;
}

/** Python identifier for a spec name (names are identifiers already; this guards the rest). */
function ident(prefix: string, name: string): string {
  return `${prefix}_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

const py = (s: string) => JSON.stringify(s);

function refKey(r: RefIR): string {
  return `${r.kind}:${r.name}`;
}

interface Ctx {
  ir: ModelIR;
  weights: Map<string, number[]>;
  map: WeightMapEntry[];
  init: string[];
  fwd: string[];
  /** The blocks the outputs depend on (the tfjs graph holds only these; an unused gate has no weights). */
  used: Reachability;
}

function has(c: Ctx, name: string): boolean {
  return c.weights.has(name);
}

function shapeOf(c: Ctx, name: string): number[] {
  const s = c.weights.get(name);
  if (!s) throw new Error(`export: the model has no weight "${name}" (was the model folder built from this ir.json?)`);
  return s;
}

function add(c: Ctx, param: string, shape: number[], source: WeightSource): void {
  c.map.push({ param, shape, source });
}

function mlpWeights(
  c: Ctx,
  prefix: string,
  m: { units: number[]; batchNorm: boolean },
  nameOf: (part: 'dense' | 'bn', j: number) => string,
  star = false,
): void {
  m.units.forEach((_, j) => {
    const d = nameOf('dense', j);
    // a STAR layer (StarDense) also holds its scenario kernels and biases
    for (const w of star ? ['kernel', 'bias', 'scenario_kernel', 'scenario_bias'] : ['kernel', 'bias'])
      add(c, `${prefix}.dense.${j}.${w}`, shapeOf(c, `${d}/${w}`), { kind: 'same', name: `${d}/${w}` });
    if (m.batchNorm) {
      for (const w of ['gamma', 'beta', 'moving_mean', 'moving_variance']) {
        const n = `${nameOf('bn', j)}/${w}`;
        add(c, `${prefix}.bn.${j}.${w}`, shapeOf(c, n), { kind: 'same', name: n });
      }
    }
  });
}

/** DCN-v2 cross weights of every expert, stacked [E, ...] (the builder makes them per expert). */
function crossWeights(c: Ctx, level: number, p: PoolIR, key: string): void {
  if (!p.cross) return;
  for (let j = 0; j < p.cross.layers; j++) {
    const per = (layer: (expert: string, j: number) => string, w: string) =>
      Array.from({ length: p.count }, (_, e) => `${layer(expertPrefix(level, p.name, e), j)}/${w}`);
    const stack = (param: string, names: string[]) =>
      add(c, `pools.${key}.${param}.${j}`, [p.count, ...shapeOf(c, names[0])], { kind: 'stack', names });
    stack('cross_kernels', per(crossName.dense, 'kernel'));
    stack('cross_biases', per(crossName.dense, 'bias'));
    if (p.cross.rank !== null) stack('cross_down', per(crossName.down, 'kernel'));
  }
}

function poolWeights(c: Ctx, level: number, p: PoolIR, key: string): void {
  crossWeights(c, level, p, key);
  const fused = p.count > 1 && has(c, `${layerName.fusedExperts(level, p.name, 'dense', 0)}/kernel`);
  const widths = [p.inputWidth, ...p.units];
  p.units.forEach((out, j) => {
    const kShape = [p.count, widths[j], out];
    const bShape = [p.count, out];
    const bnParts = p.batchNorm ? ['gamma', 'beta', 'moving_mean', 'moving_variance'] : [];
    if (fused) {
      const dense = layerName.fusedExperts(level, p.name, 'dense', j);
      shapeOf(c, `${dense}/kernel`);
      add(
        c,
        `pools.${key}.kernels.${j}`,
        kShape,
        j === 0
          ? { kind: 'experts', name: `${dense}/kernel`, count: p.count }
          : { kind: 'same', name: `${dense}/kernel` },
      );
      add(c, `pools.${key}.biases.${j}`, bShape, { kind: 'experts', name: `${dense}/bias`, count: p.count });
      for (const w of bnParts)
        add(c, `pools.${key}.bn.${j}.${w}`, bShape, {
          kind: 'experts',
          name: `${layerName.fusedExperts(level, p.name, 'bn', j)}/${w}`,
          count: p.count,
        });
    } else {
      const per = (part: 'dense' | 'bn', w: string) =>
        Array.from({ length: p.count }, (_, e) => `${layerName.expert(level, p.name, e, part, j)}/${w}`);
      per('dense', 'kernel').forEach((n) => shapeOf(c, n));
      add(c, `pools.${key}.kernels.${j}`, kShape, { kind: 'stack', names: per('dense', 'kernel') });
      add(c, `pools.${key}.biases.${j}`, bShape, { kind: 'stack', names: per('dense', 'bias') });
      for (const w of bnParts) add(c, `pools.${key}.bn.${j}.${w}`, bShape, { kind: 'stack', names: per('bn', w) });
    }
  });
}

function gateInputKey(g: GateIR): string {
  return g.inputs.map(refKey).join('|') + (g.scenarioAware ? '|+scenario' : '');
}

/** Gate weights: the gate's own Dense, or its columns of a fused gate Dense (same grouping as the builder). */
function gateWeights(c: Ctx, level: number, gates: GateIR[], keys: Map<string, string>): void {
  const fusedOf = new Map<string, { name: string; begin: number }>();
  const byInput = new Map<string, GateIR[]>();
  for (const g of gates) byInput.set(gateInputKey(g), [...(byInput.get(gateInputKey(g)) ?? []), g]);
  let k = 0;
  for (const group of byInput.values()) {
    if (group.length < 2) continue;
    const name = layerName.fusedGates(level, k++);
    if (!has(c, `${name}/kernel`)) continue;
    let begin = 0;
    for (const g of group) {
      fusedOf.set(g.name, { name, begin });
      begin += g.numExperts;
    }
  }
  for (const g of gates) {
    if (!c.used.gates.has(g.name)) continue;
    const prefix = `gates.${keys.get(g.name)}.logits`;
    const f = fusedOf.get(g.name);
    if (f) {
      add(c, `${prefix}.kernel`, [g.inputWidth, g.numExperts], {
        kind: 'columns',
        name: `${f.name}/kernel`,
        begin: f.begin,
        size: g.numExperts,
      });
      add(c, `${prefix}.bias`, [g.numExperts], {
        kind: 'columns',
        name: `${f.name}/bias`,
        begin: f.begin,
        size: g.numExperts,
      });
    } else {
      const n = layerName.gate(level, g.name);
      add(c, `${prefix}.kernel`, shapeOf(c, `${n}/kernel`), { kind: 'same', name: `${n}/kernel` });
      add(c, `${prefix}.bias`, shapeOf(c, `${n}/bias`), { kind: 'same', name: `${n}/bias` });
    }
  }
}

/** DIN target attention of a sequence (mmoe_layers.TargetAttention): its module, weights and forward line. */
function attention(
  c: Ctx,
  f: ModelIR['features'][number],
  table: ModelIR['embeddings'][number],
  k: string,
  v: string,
  lookup: string,
): string {
  const a = f.attention;
  const score = layerName.attentionScore(f.name);
  if (!a || !has(c, `${score}/kernel`)) return `${v} = None  # not in the built model`;
  if (!c.init.includes('self.attention = nn.ModuleDict()')) c.init.push('self.attention = nn.ModuleDict()');
  c.init.push(
    `self.attention[${py(k)}] = TargetAttention(${table.dim}, [${a.units.join(', ')}], activation=${py(a.activation)}, softmax=${a.softmax ? 'True' : 'False'})`,
  );
  mlpWeights(c, `attention.${k}.mlp`, { units: a.units, batchNorm: false }, (part, j) =>
    layerName.attention(f.name, part, j),
  );
  add(c, `attention.${k}.score.kernel`, shapeOf(c, `${score}/kernel`), { kind: 'same', name: `${score}/kernel` });
  add(c, `attention.${k}.score.bias`, shapeOf(c, `${score}/bias`), { kind: 'same', name: `${score}/bias` });
  const target = lookup.replace(`x[${py(f.name)}]`, `x[${py(a.target)}]`);
  return `${v} = self.attention[${py(k)}](${lookup}, ${target}, x[${py(f.name)}])`;
}

function mlpArgs(m: { units: number[]; activation: string; batchNorm: boolean; dropout: number }): string {
  return `[${m.units.join(', ')}], activation=${py(m.activation)}, batch_norm=${m.batchNorm ? 'True' : 'False'}, dropout=${m.dropout}`;
}

/** Generate model.py and the weight map for an IR whose built tfjs model has these weights. */
export function generateTorchModule(
  ir: ModelIR,
  weightShapes: Map<string, number[]>,
  inputs: ModelInputInfo[],
): TorchModule {
  const c: Ctx = { ir, weights: weightShapes, map: [], init: [], fwd: [], used: reachability(ir) };
  const keyOf = new Map<string, string>();
  const key = (kind: string, name: string) => {
    const k = name.replace(/[^A-Za-z0-9_]/g, '_');
    const id = `${kind}:${k}`;
    if (keyOf.has(id) && keyOf.get(id) !== name)
      throw new Error(`export: two ${kind} names map to the Python name ${k}`);
    keyOf.set(id, name);
    return k;
  };
  const { init, fwd } = c;
  const vars = new Map<string, string>(); // refKey -> python expression ([B, W])
  const poolVars = new Map<string, string>(); // pool -> [B, E, W]

  // Embedding tables.
  init.push('self.tables = nn.ModuleDict({');
  for (const t of ir.embeddings) {
    const n = `${layerName.table(t.name)}/embeddings`;
    if (!has(c, n)) continue;
    const k = key('table', t.name);
    init.push(`    ${py(k)}: Table(${shapeOf(c, n)[0]}, ${t.dim}),`);
    add(c, `tables.${k}.embeddings`, shapeOf(c, n), { kind: 'same', name: n });
  }
  init.push('})');

  // Features and groups.
  fwd.push('# features');
  const featureVar = new Map<string, string>();
  for (const f of ir.features) {
    const v = ident('f', f.name);
    featureVar.set(f.name, v);
    if (f.kind === 'numeric') fwd.push(`${v} = x[${py(f.name)}].float()`);
    else {
      const table = ir.embeddings.find((t) => t.name === f.embedding);
      if (!table) throw new Error(`export: feature ${f.name} reads no embedding table`);
      const lookup = `self.tables[${py(key('table', table.name))}](x[${py(f.name)}])`;
      if (f.attention) {
        fwd.push(attention(c, f, table, key('attention', f.name), v, lookup));
        continue;
      }
      fwd.push(
        f.kind === 'sequence'
          ? `${v} = masked_pool(${lookup}, x[${py(f.name)}], ${py(f.pooling ?? 'mean')})`
          : `${v} = ${lookup}.squeeze(1)`,
      );
    }
  }
  fwd.push('# feature groups');
  for (const g of ir.groups) {
    const v = ident('g', g.name);
    const parts = g.features.map((n) => featureVar.get(n) ?? '?');
    fwd.push(parts.length === 1 ? `${v} = ${parts[0]}` : `${v} = torch.cat([${parts.join(', ')}], dim=-1)`);
    vars.set(`group:${g.name}`, v);
  }

  // Scenario.
  const scenarioAware = ir.levels.some((l) => l.gates.some((g) => g.scenarioAware && c.used.gates.has(g.name)));
  const perScenarioTower = ir.towers.some((t) => t.perScenario.length > 0 && c.used.towers.has(t.name));
  const aux = ir.scenarioAuxiliary;
  const star = ir.towers.some((t) => t.star && c.used.towers.has(t.name)) || aux !== undefined;
  if (ir.scenario && (scenarioAware || perScenarioTower || star)) {
    fwd.push('# scenario');
    fwd.push(`scenario = x[${py(SCENARIO_INPUT)}]`);
    if (scenarioAware || aux) {
      const n = `${layerName.scenarioTable}/embeddings`;
      init.push(`self.scenario_embedding = Table(${shapeOf(c, n)[0]}, ${ir.scenario.embeddingDim})`);
      add(c, 'scenario_embedding.embeddings', shapeOf(c, n), { kind: 'same', name: n });
      fwd.push('scenario_vec = self.scenario_embedding(scenario).squeeze(1)');
    }
  }

  const concats = new Map<string, string>();
  const concat = (refs: RefIR[], withScenario: boolean): string => {
    const key = refs.map(refKey).join('|') + (withScenario ? '|+scenario' : '');
    const cached = concats.get(key);
    if (cached) return cached;
    const parts = refs.map((r) => {
      const v = vars.get(refKey(r));
      if (!v) throw new Error(`export: ${r.kind} ${r.name} is read before it is computed`);
      return v;
    });
    if (withScenario) parts.push('scenario_vec');
    if (parts.length === 1) return parts[0];
    const v = `x${concats.size}`;
    fwd.push(`${v} = torch.cat([${parts.join(', ')}], dim=-1)`);
    concats.set(key, v);
    return v;
  };

  // Levels.
  init.push('self.pools = nn.ModuleDict()', 'self.gates = nn.ModuleDict()');
  for (const level of ir.levels) {
    fwd.push(`# level ${level.index}`);
    for (const p of level.pools) {
      if (!c.used.pools.has(p.name)) continue;
      const k = key('pool', p.name);
      const cross = p.cross
        ? `, cross_layers=${p.cross.layers}, cross_rank=${p.cross.rank === null ? 'None' : p.cross.rank}`
        : '';
      init.push(`self.pools[${py(k)}] = ExpertPool(${p.count}, ${p.inputWidth}, ${mlpArgs(p)}${cross})`);
      poolWeights(c, level.index, p, k);
      const v = ident('p', p.name);
      fwd.push(`${v} = self.pools[${py(k)}](${concat(p.inputs, false)})  # [B, ${p.count}, ${p.outputWidth}]`);
      poolVars.set(p.name, v);
      if (p.count === 1) vars.set(`pool:${p.name}`, `${v}[:, 0]`);
    }
    const gates = level.gates.filter((g) => c.used.gates.has(g.name));
    const gateKeys = new Map(level.gates.map((g) => [g.name, key('gate', g.name)] as const));
    for (const g of gates)
      init.push(
        `self.gates[${py(gateKeys.get(g.name)!)}] = Gate(${g.inputWidth}, ${g.numExperts}, temperature=${g.temperature}, top_k=${g.topK ?? 'None'})`,
      );
    gateWeights(c, level.index, level.gates, gateKeys);
    // Gates reading the same input: one product.
    const byInput = new Map<string, GateIR[]>();
    for (const g of gates) byInput.set(gateInputKey(g), [...(byInput.get(gateInputKey(g)) ?? []), g]);
    for (const group of byInput.values()) {
      const x = concat(group[0].inputs, group[0].scenarioAware);
      const ws = group.map((g) => ident('w', g.name));
      if (group.length === 1) fwd.push(`${ws[0]} = self.gates[${py(gateKeys.get(group[0].name)!)}](${x})`);
      else
        fwd.push(
          `${ws.join(', ')} = fused_gate_weights([${group.map((g) => `self.gates[${py(gateKeys.get(g.name)!)}]`).join(', ')}], ${x})`,
        );
    }
    const stacks = new Map<string, string>();
    for (const g of gates) {
      const sk = g.pools.join('|');
      let st = stacks.get(sk);
      if (!st) {
        const parts = g.pools.map((n) => poolVars.get(n) ?? '?');
        st = parts.length === 1 ? parts[0] : ident('stack', g.name);
        if (parts.length > 1) fwd.push(`${st} = torch.cat([${parts.join(', ')}], dim=1)`);
        stacks.set(sk, st);
      }
      fwd.push(`${ident('m', g.name)} = mix(${ident('w', g.name)}, ${st})`);
    }
    // The level's gates are visible to the next level only.
    for (const g of gates) vars.set(`gate:${g.name}`, ident('m', g.name));
  }

  // Towers and heads.
  fwd.push('# towers');
  init.push('self.towers = nn.ModuleDict()', 'self.heads = nn.ModuleDict()');
  const towerVars = new Map<string, string[]>();
  for (const t of ir.towers) {
    if (!c.used.towers.has(t.name)) continue;
    const k = key('tower', t.name);
    const x = concat([t.input], false);
    if (t.star) {
      init.push(`self.towers[${py(k)}] = StarMlp(${t.input.width}, ${ir.scenario?.values.length}, ${mlpArgs(t)})`);
      mlpWeights(c, `towers.${k}`, t, (part, j) => layerName.tower(t.name, part, j), true);
      const v = ident('t', t.name);
      fwd.push(`${v} = self.towers[${py(k)}](${x}, scenario)  # STAR: shared x scenario weights`);
      towerVars.set(t.name, [v]);
    } else if (t.perScenario.length > 0) {
      init.push(
        `self.towers[${py(k)}] = nn.ModuleList(Mlp(${t.input.width}, ${mlpArgs(t)}) for _ in range(${t.perScenario.length}))`,
      );
      const vs = t.perScenario.map((_, i) => {
        mlpWeights(c, `towers.${k}.${i}`, t, (part, j) => layerName.tower(t.name, part, j, i));
        const v = `${ident('t', t.name)}_s${i}`;
        fwd.push(`${v} = self.towers[${py(k)}][${i}](${x})`);
        return v;
      });
      towerVars.set(t.name, vs);
    } else {
      init.push(`self.towers[${py(k)}] = Mlp(${t.input.width}, ${mlpArgs(t)})`);
      mlpWeights(c, `towers.${k}`, t, (part, j) => layerName.tower(t.name, part, j));
      const v = ident('t', t.name);
      fwd.push(`${v} = self.towers[${py(k)}](${x})`);
      towerVars.set(t.name, [v]);
    }
  }
  if (aux) {
    fwd.push('# STAR scenario auxiliary network');
    init.push(`self.auxiliary = Mlp(${aux.inputWidth}, ${mlpArgs(aux)})`, 'self.aux_heads = nn.ModuleDict()');
    mlpWeights(c, 'auxiliary', aux, starLayerName.auxiliary);
    fwd.push(`aux = self.auxiliary(${concat(aux.inputs, true)})`);
  }
  fwd.push('# task heads');
  const towerByName = new Map(ir.towers.map((t) => [t.name, t] as TowerIRPair));
  const done = new Set<string>();
  const taskByName = new Map(ir.tasks.map((t) => [t.name, t]));
  const emit = (task: TaskIR): void => {
    if (done.has(task.name)) return;
    const v = ident('o', task.name);
    if (task.head.kind === 'product') {
      for (const n of task.head.of) emit(taskByName.get(n)!);
      fwd.push(`${v} = ${task.head.of.map((n) => ident('o', n)).join(' * ')}  # ESMM: a product of tasks`);
    } else {
      const tower = towerByName.get(task.head.tower)!;
      const k = key('head', task.name);
      const act = task.type === 'binary' ? 'torch.sigmoid' : '';
      // a multi-class head: Dense(K) and a softmax over the classes (the rule multiclass-head
      // refuses it on per-scenario towers)
      const units = task.type === 'multiclass' ? (task.classes?.length ?? 1) : 1;
      const wrap = (e: string) => (units > 1 ? `torch.softmax(${e}, dim=1)` : `${act}(${e})`);
      const ts = towerVars.get(tower.name)!;
      const same = (param: string, n: string) => add(c, param, shapeOf(c, n), { kind: 'same', name: n });
      if (tower.star || aux?.tasks.includes(task.name)) {
        // STAR: a star head and/or the auxiliary logit, added before the activation
        let logit: string;
        if (tower.star) {
          init.push(`self.heads[${py(k)}] = StarDense(${tower.outputWidth}, 1, ${ir.scenario?.values.length})`);
          for (const w of ['kernel', 'bias', 'scenario_kernel', 'scenario_bias'])
            same(`heads.${k}.${w}`, `${layerName.head(task.name)}/${w}`);
          logit = `self.heads[${py(k)}](${ts[0]}, scenario)`;
        } else if (tower.perScenario.length > 0) {
          init.push(
            `self.heads[${py(k)}] = nn.ModuleList(Dense(${tower.outputWidth}, 1) for _ in range(${ts.length}))`,
          );
          ts.forEach((_, i) => {
            for (const w of ['kernel', 'bias']) same(`heads.${k}.${i}.${w}`, `${layerName.head(task.name, i)}/${w}`);
          });
          logit = `scenario_select(torch.cat([${ts.map((t, i) => `self.heads[${py(k)}][${i}](${t})`).join(', ')}], dim=1), scenario)`;
        } else {
          init.push(`self.heads[${py(k)}] = Dense(${tower.outputWidth}, 1)`);
          for (const w of ['kernel', 'bias']) same(`heads.${k}.${w}`, `${layerName.head(task.name)}/${w}`);
          logit = `self.heads[${py(k)}](${ts[0]})`;
        }
        if (aux?.tasks.includes(task.name)) {
          init.push(`self.aux_heads[${py(k)}] = Dense(${aux.outputWidth}, 1)`);
          for (const w of ['kernel', 'bias'])
            same(`aux_heads.${k}.${w}`, `${starLayerName.auxiliaryHead(task.name)}/${w}`);
          logit = `${logit} + self.aux_heads[${py(k)}](aux)`;
        }
        fwd.push(`${v} = ${act}(${logit})`);
      } else if (tower.perScenario.length > 0) {
        init.push(`self.heads[${py(k)}] = nn.ModuleList(Dense(${tower.outputWidth}, 1) for _ in range(${ts.length}))`);
        ts.forEach((_, i) => {
          const n = layerName.head(task.name, i);
          add(c, `heads.${k}.${i}.kernel`, shapeOf(c, `${n}/kernel`), { kind: 'same', name: `${n}/kernel` });
          add(c, `heads.${k}.${i}.bias`, shapeOf(c, `${n}/bias`), { kind: 'same', name: `${n}/bias` });
        });
        const heads = ts.map((t, i) => `${act}(self.heads[${py(k)}][${i}](${t}))`);
        fwd.push(`${v} = scenario_select(torch.cat([${heads.join(', ')}], dim=1), scenario)`);
      } else {
        init.push(`self.heads[${py(k)}] = Dense(${tower.outputWidth}, ${units})`);
        const n = layerName.head(task.name);
        add(c, `heads.${k}.kernel`, shapeOf(c, `${n}/kernel`), { kind: 'same', name: `${n}/kernel` });
        add(c, `heads.${k}.bias`, shapeOf(c, `${n}/bias`), { kind: 'same', name: `${n}/bias` });
        fwd.push(`${v} = ${wrap(`self.heads[${py(k)}](${ts[0]})`)}`);
      }
    }
    done.add(task.name);
  };
  ir.tasks.forEach(emit);
  fwd.push(`return {${ir.tasks.map((t) => `${py(t.name)}: ${ident('o', t.name)}`).join(', ')}}`);

  const inputsPy = inputs.map((i) => `        (${py(i.name)}, ${py(i.dtype)}, ${i.width}),`);
  const tasksPy = ir.tasks.map((t) => `        ${py(t.name)},`);
  const modelPy = [
    `# Generated by mmoe-compile from ir.json (model ${py(ir.name)}, family ${py(ir.family.label)}).`,
    '# Do not edit: export the model folder again instead. The blocks are in mmoe_layers.py.',
    'import torch',
    'from torch import nn',
    '',
    'from mmoe_layers import Dense, ExpertPool, Gate, Mlp, StarDense, StarMlp, Table, TargetAttention, fused_gate_weights, masked_pool, mix, scenario_select',
    '',
    '',
    'class Model(nn.Module):',
    '    """Inputs: a dict of tensors named like the tfjs model\'s inputs; outputs: a dict by task."""',
    '',
    "    # (input name, dtype, values per row), in the tfjs model's input order",
    '    INPUTS = [',
    ...inputsPy,
    '    ]',
    '    TASKS = [',
    ...tasksPy,
    '    ]',
    '',
    '    def __init__(self):',
    '        super().__init__()',
    ...init.map((l) => `        ${l}`),
    '',
    '    def forward(self, x):',
    ...fwd.map((l) => `        ${l}`),
    '',
  ].join('\n');
  return { modelPy, weightMap: c.map };
}

type TowerIRPair = readonly [string, TowerIR];
