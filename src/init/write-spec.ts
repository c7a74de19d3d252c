// `mmoe-compile init`, step 2: the spec as YAML text, written line by line so that each
// feature carries its evidence as a comment and each left-out column says why. Pure.
import type { ColumnDecision } from './infer-columns.js';
import { specName, type InitTask } from './tasks.js';

export const FAMILIES = ['mmoe', 'shared-bottom', 'moe', 'cgc', 'ple'] as const;
export type Family = (typeof FAMILIES)[number];

export interface SpecDraft {
  name: string;
  /** The modeline's schema path, relative to the spec. */
  schemaPath: string;
  /** The CSV path, relative to the spec. */
  train: string;
  /** The CSV as the user named it and how many rows were sampled (for the header comment). */
  csv: string;
  sampledRows: number;
  naValues: readonly string[];
  delimiter: string;
  decisions: readonly ColumnDecision[];
  tasks: readonly InitTask[];
  family: Family;
}

const YAML_WORDS = /^(true|false|yes|no|on|off|null|y|n|~)$/i;

/** A YAML scalar: bare when unambiguous, else double-quoted (JSON strings are valid YAML). */
export function scalar(v: string | number): string {
  if (typeof v === 'number') return String(v);
  return /^[A-Za-z_][A-Za-z0-9_.\-]*$/.test(v) && !YAML_WORDS.test(v) ? v : JSON.stringify(v);
}

export function writeSpec(d: SpecDraft): string {
  const L: string[] = [];
  L.push(`# yaml-language-server: $schema=${d.schemaPath}`);
  L.push(
    `# Written by \`mmoe-compile init\` from the first ${d.sampledRows.toLocaleString('en-US')} rows of ${d.csv}.`,
  );
  L.push('# Each feature says what was inferred from the sample; review the choices before training.');
  L.push('specVersion: 1');
  L.push(`name: ${scalar(d.name)}`);
  L.push(
    `description: ${scalar(`${familyLabel(d.family)} on ${d.csv}; tasks ${d.tasks.map((t) => t.name).join(', ')}`)}`,
  );
  L.push('');
  L.push('data:');
  L.push('  source: csv');
  L.push(`  train: ${scalar(d.train)}`);
  if (d.delimiter !== ',') L.push(`  delimiter: ${JSON.stringify(d.delimiter)}`);
  L.push(`  naValues: [${d.naValues.map(scalar).join(', ')}]`);
  L.push('');
  L.push('features:');
  const features: string[] = [];
  for (const c of d.decisions) {
    if (c.kind === 'excluded') {
      L.push(`  # left out: ${c.column}: ${c.reason}`);
      continue;
    }
    const name = specName(c.column);
    features.push(name);
    const col = name === c.column ? '' : `, column: ${scalar(c.column)}`;
    L.push(`  # ${c.evidence}`);
    if (c.note) L.push(`  # note: ${c.note}`);
    if (c.kind === 'numeric') {
      L.push(`  - { name: ${name}${col}, type: numeric, normalization: ${c.normalization} }`);
    } else {
      const enc =
        c.encoding.type === 'vocabulary'
          ? `minCount: ${c.encoding.minCount}`
          : `encoding: hash, hashBuckets: ${c.encoding.buckets}`;
      const seq =
        c.kind === 'sequence' ? `, separator: ${scalar(c.separator)}, maxLength: ${c.maxLength}, pooling: mean` : '';
      L.push(`  - { name: ${name}${col}, type: ${c.kind}, ${enc}, embeddingDim: ${c.encoding.embeddingDim}${seq} }`);
    }
  }
  L.push('');
  L.push('featureGroups:');
  L.push(`  inputs: [${features.join(', ')}]`);
  L.push('');
  L.push('model:');
  L.push(
    ...modelLines(
      d.family,
      d.tasks.map((t) => t.name),
    ).map((l) => `  ${l}`),
  );
  L.push('');
  L.push('tasks:');
  for (const t of d.tasks) {
    L.push(
      `  # label values in the sample: ${t.values
        .slice(0, 6)
        .map((v) => JSON.stringify(v))
        .join(', ')}${t.values.length > 6 ? ', ...' : ''}`,
    );
    const space = t.sampleSpace
      ? `, sampleSpace: { column: ${scalar(t.sampleSpace.column)}, equals: ${scalar(t.sampleSpace.equals)} }`
      : '';
    const negative =
      t.negative === undefined
        ? ''
        : `, negative: ${t.negative === 'other' ? 'other' : `[${t.negative.map(scalar).join(', ')}]`}`;
    L.push(`  - { name: ${t.name}, label: ${scalar(t.label)}, positive: ${scalar(t.positive)}${negative}${space} }`);
  }
  L.push('');
  L.push('training:');
  L.push('  optimizer: adam');
  L.push('  learningRate: 0.001');
  L.push('  batchSize: 512');
  L.push('  epochs: 10');
  L.push('  seed: 42');
  L.push('  validationFraction: 0.1');
  L.push(`  earlyStopping: { task: ${d.tasks[0].name}, metric: auc, patience: 2 }`);
  return L.join('\n') + '\n';
}

function familyLabel(f: Family): string {
  return { mmoe: 'MMoE', 'shared-bottom': 'Shared-Bottom', moe: 'MoE', cgc: 'CGC', ple: 'PLE' }[f];
}

/** The model section for each family, sized like the project's example configs. */
function modelLines(family: Family, tasks: readonly string[]): string[] {
  const towers = (input: (t: string) => string) => [
    'towers:',
    ...tasks.map((t) => `  - { name: ${t}, input: ${input(t)}, units: [16] }`),
  ];
  switch (family) {
    case 'shared-bottom':
      return [
        'levels:',
        '  - pools:',
        '      - { name: bottom, count: 1, units: [64, 32] }',
        ...towers(() => 'bottom'),
      ];
    case 'moe':
      return [
        'levels:',
        '  - pools:',
        '      - { name: experts, count: 4, units: [64, 32] }',
        '    gates:',
        '      - { name: gate, pools: [experts] }',
        ...towers(() => 'gate'),
      ];
    case 'mmoe':
      return [
        'levels:',
        '  - pools:',
        '      - { name: experts, count: 4, units: [64, 32] }',
        '    gates:',
        ...tasks.map((t) => `      - { name: ${t}_gate, pools: [experts] }`),
        ...towers((t) => `${t}_gate`),
      ];
    case 'cgc':
      return [
        'levels:',
        '  - pools:',
        '      - { name: shared, count: 2, units: [64, 32] }',
        ...tasks.map((t) => `      - { name: ${t}_experts, count: 1, units: [64, 32] }`),
        '    gates:',
        ...tasks.map((t) => `      - { name: ${t}_gate, pools: [${t}_experts, shared] }`),
        ...towers((t) => `${t}_gate`),
      ];
    case 'ple':
      return [
        'levels:',
        '  - pools:',
        '      - { name: l1_shared, count: 2, units: [64] }',
        ...tasks.map((t) => `      - { name: l1_${t}, count: 1, units: [64] }`),
        '    gates:',
        ...tasks.map((t) => `      - { name: l1_${t}_gate, pools: [l1_${t}, l1_shared] }`),
        `      - { name: l1_shared_gate, pools: [${[...tasks.map((t) => `l1_${t}`), 'l1_shared'].join(', ')}] }`,
        '  - pools:',
        '      - { name: l2_shared, count: 2, units: [32], inputs: [l1_shared_gate] }',
        ...tasks.map((t) => `      - { name: l2_${t}, count: 1, units: [32], inputs: [l1_${t}_gate] }`),
        '    gates:',
        ...tasks.map((t) => `      - { name: ${t}_gate, pools: [l2_${t}, l2_shared], inputs: [l1_${t}_gate] }`),
        ...towers((t) => `${t}_gate`),
      ];
  }
}
