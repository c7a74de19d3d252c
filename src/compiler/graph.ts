// The model drawn from its IR: feature groups -> input concatenations -> expert pools -> gates ->
// towers -> task heads (ESMM products, per-scenario towers, PLE levels as subgraphs). One small
// graph model is built first and then written as Mermaid (renders on GitHub) or Graphviz DOT
// (renderSvg turns DOT into SVG with @viz-js/viz, offline). Node ids come from IR names and
// nodes and edges are emitted in IR order, so the same IR always gives the same bytes.
import { dotString, mermaidText } from '../util/escape.js';
import { isStar } from './star.js';
import type { GateIR, ModelIR, PoolIR, RefIR, TowerIR } from './ir.js';
import { reachability } from './reachability.js';

/** Last label line of a block that reaches no task output (reachability.ts). */
export const NOT_BUILT = 'not built: reaches no task';

export type NodeKind = 'group' | 'scenario' | 'concat' | 'pool' | 'gate' | 'tower' | 'head' | 'product';

export interface GraphNode {
  id: string;
  kind: NodeKind;
  /** Label lines. */
  lines: string[];
  /** Id of the cluster the node is drawn in, if any. */
  cluster?: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** Dotted edges carry side information (the scenario), not expert outputs. */
  dotted?: boolean;
  label?: string;
}

export interface GraphCluster {
  id: string;
  label: string;
}

export interface ModelGraph {
  name: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  clusters: GraphCluster[];
}

const idPart = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');

export const nodeId = {
  group: (name: string) => `group_${name}`,
  scenario: (feature: string) => `scenario_${feature}`,
  concat: (refs: readonly RefIR[]) => `in_${refs.map((r) => r.name).join('_')}`,
  pool: (name: string) => `pool_${name}`,
  gate: (name: string) => `gate_${name}`,
  tower: (name: string) => `tower_${name}`,
  scenarioTower: (name: string, i: number, value: string) => `tower_${name}_${i}_${idPart(value)}`,
  task: (name: string) => `task_${name}`,
};

function mlpNote(m: { activation: string; batchNorm: boolean; dropout: number }): string {
  const parts = [m.activation];
  if (m.batchNorm) parts.push('batch norm');
  if (m.dropout > 0) parts.push(`dropout ${m.dropout}`);
  return parts.join(', ');
}

function refNodeId(r: RefIR): string {
  return r.kind === 'group' ? nodeId.group(r.name) : r.kind === 'gate' ? nodeId.gate(r.name) : nodeId.pool(r.name);
}

/** Build the graph of an IR. */
export function buildGraph(ir: ModelIR): ModelGraph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const clusters: GraphCluster[] = [];
  const seen = new Set<string>();
  const addNode = (n: GraphNode) => {
    if (seen.has(n.id)) return;
    seen.add(n.id);
    nodes.push(n);
  };
  const edgeKeys = new Set<string>();
  const addEdge = (e: GraphEdge) => {
    const key = `${e.from}>${e.to}`;
    if (edgeKeys.has(key)) return;
    edgeKeys.add(key);
    edges.push(e);
  };

  const reach = reachability(ir);
  const built = (used: boolean) => (used ? [] : [NOT_BUILT]);
  for (const g of ir.groups) {
    addNode({
      id: nodeId.group(g.name),
      kind: 'group',
      lines: [
        g.name,
        `${g.features.length} feature${g.features.length === 1 ? '' : 's'}, width ${g.width}`,
        ...built(reach.groups.has(g.name)),
      ],
    });
  }

  const scenarioGates = ir.levels.flatMap((l) => l.gates.filter((g) => g.scenarioAware));
  const scenarioTowers = ir.towers.filter((t) => t.perScenario.length > 0);
  const scenarioId = ir.scenario ? nodeId.scenario(ir.scenario.feature) : '';
  if (ir.scenario && (scenarioGates.length || scenarioTowers.length || isStar(ir))) {
    addNode({
      id: scenarioId,
      kind: 'scenario',
      lines: [`scenario ${ir.scenario.feature}`, ir.scenario.values.join(', ')],
    });
  }

  /** Connect a reader to what it reads: one edge, or through a shared concatenation node. */
  const connectInputs = (refs: readonly RefIR[], to: string) => {
    if (refs.length === 1) return addEdge({ from: refNodeId(refs[0]), to });
    const id = nodeId.concat(refs);
    if (!seen.has(id)) {
      addNode({
        id,
        kind: 'concat',
        lines: [`concat ${refs.map((r) => r.name).join(' + ')}`, `width ${refs.reduce((s, r) => s + r.width, 0)}`],
      });
      for (const r of refs) addEdge({ from: refNodeId(r), to: id });
    }
    addEdge({ from: id, to });
  };

  const multiLevel = ir.levels.length > 1;
  for (const level of ir.levels) {
    const cluster = multiLevel ? `level_${level.index + 1}` : undefined;
    if (cluster) clusters.push({ id: cluster, label: `Level ${level.index + 1}` });
    const pool = (p: PoolIR) => {
      const lines = [p.name, `${p.count} x [${p.units.join(',')}]`, mlpNote(p), ...built(reach.pools.has(p.name))];
      addNode({ id: nodeId.pool(p.name), kind: 'pool', lines, ...(cluster ? { cluster } : {}) });
    };
    const gate = (g: GateIR) => {
      const lines = [g.name, `softmax over ${g.numExperts}`];
      const extra: string[] = [];
      if (g.temperature !== 1) extra.push(`T ${g.temperature}`);
      if (g.topK !== null) extra.push(`top ${g.topK}`);
      if (extra.length) lines.push(extra.join(', '));
      lines.push(...built(reach.gates.has(g.name)));
      addNode({ id: nodeId.gate(g.name), kind: 'gate', lines, ...(cluster ? { cluster } : {}) });
    };
    level.pools.forEach(pool);
    level.gates.forEach(gate);
    for (const p of level.pools) connectInputs(p.inputs, nodeId.pool(p.name));
    for (const g of level.gates) {
      connectInputs(g.inputs, nodeId.gate(g.name));
      for (const p of g.pools) addEdge({ from: nodeId.pool(p), to: nodeId.gate(g.name) });
      if (g.scenarioAware && scenarioId)
        addEdge({ from: scenarioId, to: nodeId.gate(g.name), dotted: true, label: 'embedding' });
    }
  }

  const towerIds = (t: TowerIR): string[] =>
    t.perScenario.length ? t.perScenario.map((v, i) => nodeId.scenarioTower(t.name, i, v)) : [nodeId.tower(t.name)];
  for (const t of ir.towers) {
    const from = t.input.kind === 'gate' ? nodeId.gate(t.input.name) : nodeId.pool(t.input.name);
    const units = t.units.length ? `[${t.units.join(',')}]` : 'identity';
    const note = built(reach.towers.has(t.name));
    if (t.perScenario.length) {
      const cluster = `towers_${t.name}`;
      clusters.push({ id: cluster, label: `${t.name} towers, one per scenario` });
      t.perScenario.forEach((v, i) =>
        addNode({ id: towerIds(t)[i], kind: 'tower', lines: [`${t.name} @ ${v}`, units, ...note], cluster }),
      );
    } else {
      const star = t.star ? ['STAR: shared x scenario weights'] : [];
      addNode({ id: nodeId.tower(t.name), kind: 'tower', lines: [`tower ${t.name}`, units, ...star, ...note] });
      if (t.star && scenarioId)
        addEdge({ from: scenarioId, to: nodeId.tower(t.name), dotted: true, label: 'scenario weights' });
    }
    for (const id of towerIds(t)) addEdge({ from, to: id });
  }
  const aux = ir.scenarioAuxiliary;
  const auxId = 'auxiliary_scenario';
  if (aux) {
    const units = aux.units.length ? `[${aux.units.join(',')}]` : 'linear';
    addNode({ id: auxId, kind: 'tower', lines: ['scenario auxiliary network', units] });
    if (aux.inputs.length) connectInputs(aux.inputs, auxId);
    if (scenarioId) addEdge({ from: scenarioId, to: auxId, dotted: true, label: 'embedding' });
  }

  for (const task of ir.tasks) {
    const id = nodeId.task(task.name);
    if (task.head.kind === 'product') {
      addNode({
        id,
        kind: 'product',
        lines: [task.name, `= ${task.head.of.join(' x ')}`, task.label ? `label ${task.label}` : 'no label'],
      });
      continue;
    }
    const lines = [task.name, `${task.type}, ${task.label ? `label ${task.label}` : 'no label'}`];
    if (task.sampleSpace) lines.push(`where ${task.sampleSpace.column} = ${String(task.sampleSpace.equals)}`);
    addNode({ id, kind: 'head', lines });
  }
  for (const task of ir.tasks) {
    const id = nodeId.task(task.name);
    if (task.head.kind === 'product') {
      for (const of of task.head.of) addEdge({ from: nodeId.task(of), to: id });
      continue;
    }
    const headTower = task.head.tower;
    const tower = ir.towers.find((t) => t.name === headTower);
    if (!tower) continue;
    for (const tid of towerIds(tower)) addEdge({ from: tid, to: id });
    if (tower.perScenario.length && scenarioId)
      addEdge({ from: scenarioId, to: id, dotted: true, label: 'selects tower' });
    if (aux?.tasks.includes(task.name)) addEdge({ from: auxId, to: id, dotted: true, label: '+ logit' });
  }
  return { name: ir.name, nodes, edges, clusters };
}

// ---------------------------------------------------------------------------------------------
// Mermaid
// ---------------------------------------------------------------------------------------------

const MERMAID_SHAPES: Record<NodeKind, [string, string]> = {
  group: ['[(', ')]'],
  scenario: ['[(', ')]'],
  concat: ['[', ']'],
  pool: ['[[', ']]'],
  gate: ['{{', '}}'],
  tower: ['[', ']'],
  head: ['([', '])'],
  product: ['((', '))'],
};

const MERMAID_CLASSES: [NodeKind, string][] = [
  ['group', 'fill:#eef6ee,stroke:#5a8f5a'],
  ['scenario', 'fill:#fff4e0,stroke:#c08a2b'],
  ['pool', 'fill:#e8f0fe,stroke:#4a6fb5'],
  ['gate', 'fill:#fdeee8,stroke:#b5654a'],
  ['head', 'fill:#f3e8fd,stroke:#7a4ab5'],
  ['product', 'fill:#f3e8fd,stroke:#7a4ab5'],
];

export function renderMermaidGraph(g: ModelGraph): string {
  const out = ['flowchart TB'];
  const nodeLine = (n: GraphNode, indent: string) => {
    const [open, close] = MERMAID_SHAPES[n.kind];
    return `${indent}${n.id}${open}"${n.lines.map(mermaidText).join('<br/>')}"${close}`;
  };
  for (const n of g.nodes) if (!n.cluster) out.push(nodeLine(n, '  '));
  for (const c of g.clusters) {
    out.push(`  subgraph ${c.id}["${mermaidText(c.label)}"]`);
    for (const n of g.nodes) if (n.cluster === c.id) out.push(nodeLine(n, '    '));
    out.push('  end');
  }
  for (const e of g.edges) {
    const arrow = e.dotted ? '-.->' : '-->';
    out.push(`  ${e.from} ${arrow}${e.label ? `|${mermaidText(e.label)}|` : ''} ${e.to}`);
  }
  for (const [kind, style] of MERMAID_CLASSES) {
    const ids = g.nodes.filter((n) => n.kind === kind).map((n) => n.id);
    if (ids.length) out.push(`  classDef ${kind} ${style}`, `  class ${ids.join(',')} ${kind}`);
  }
  return out.join('\n') + '\n';
}

/** Mermaid flowchart text of an IR (put it in a ```mermaid block on GitHub). */
export function toMermaid(ir: ModelIR): string {
  return renderMermaidGraph(buildGraph(ir));
}

// ---------------------------------------------------------------------------------------------
// Graphviz DOT
// ---------------------------------------------------------------------------------------------

const DOT_SHAPES: Record<NodeKind, string> = {
  group: 'shape=cylinder, style=filled, fillcolor="#eef6ee"',
  scenario: 'shape=cylinder, style=filled, fillcolor="#fff4e0"',
  concat: 'shape=box, style=rounded',
  pool: 'shape=box3d, style=filled, fillcolor="#e8f0fe"',
  gate: 'shape=hexagon, style=filled, fillcolor="#fdeee8"',
  tower: 'shape=box',
  head: 'shape=ellipse, style=filled, fillcolor="#f3e8fd"',
  product: 'shape=doublecircle, style=filled, fillcolor="#f3e8fd"',
};

/** One sans-serif font for every label (cluster titles included), the one the PNG renderer has:
 * Graphviz sizes boxes with this font's metrics, so labels stay inside them. */
const DOT_FONT = 'DejaVu Sans';

/** Nodes of one kind, in IR order, as one rank: levels read as rows, left to right in the spec's order. */
function rankRows(g: ModelGraph, cluster: string | undefined, indent: string): string[] {
  const out: string[] = [];
  for (const kinds of [['group', 'scenario'], ['pool'], ['gate'], ['tower'], ['head', 'product']] as NodeKind[][]) {
    const ids = g.nodes.filter((n) => n.cluster === cluster && kinds.includes(n.kind)).map((n) => dotString(n.id));
    if (ids.length < 2) continue;
    out.push(`${indent}{ rank=same; ${ids.join(' -> ')} [style=invis]; }`);
  }
  return out;
}

export function renderDotGraph(g: ModelGraph): string {
  const out = [
    `digraph ${dotString(g.name)} {`,
    '  rankdir=TB;',
    '  newrank=true;',
    '  nodesep=0.25;',
    '  ranksep=0.45;',
    `  graph [fontname=${dotString(DOT_FONT)}, fontsize=11, labeljust=l, margin=0.1];`,
    `  node [fontname=${dotString(DOT_FONT)}, fontsize=10, margin="0.16,0.07"];`,
    `  edge [fontname=${dotString(DOT_FONT)}, fontsize=9, arrowsize=0.7];`,
  ];
  const nodeLine = (n: GraphNode, indent: string) =>
    `${indent}${dotString(n.id)} [${DOT_SHAPES[n.kind]}, label=${dotString(...n.lines)}];`;
  for (const n of g.nodes) if (!n.cluster) out.push(nodeLine(n, '  '));
  for (const c of g.clusters) {
    out.push(`  subgraph ${dotString(`cluster_${c.id}`)} {`, `    label=${dotString(c.label)};`, '    style=dashed;');
    for (const n of g.nodes) if (n.cluster === c.id) out.push(nodeLine(n, '    '));
    out.push(...rankRows(g, c.id, '    '));
    out.push('  }');
  }
  out.push(...rankRows(g, undefined, '  '));
  for (const e of g.edges) {
    const attrs: string[] = [];
    if (e.dotted) attrs.push('style=dashed');
    if (e.label) attrs.push(`label=${dotString(e.label)}`);
    out.push(`  ${dotString(e.from)} -> ${dotString(e.to)}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}

/** Graphviz DOT text of an IR. */
export function toDot(ir: ModelIR): string {
  return renderDotGraph(buildGraph(ir));
}

// One Graphviz wasm instance per process, created on first use: instantiating the wasm is the
// slow part (~80 ms) and a Viz instance holds no state between renders.
let vizInstance: Promise<{ renderString(dot: string, opts: { format: string; engine: string }): string }> | undefined;

/** Render DOT to SVG with Graphviz compiled to wasm (@viz-js/viz); throws on invalid DOT. */
export async function renderSvg(dot: string): Promise<string> {
  vizInstance ??= import('@viz-js/viz').then((m) => m.instance());
  const viz = await vizInstance;
  return viz.renderString(dot, { format: 'svg', engine: 'dot' });
}
