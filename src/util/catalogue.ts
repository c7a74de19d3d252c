// The catalogue of diagnostics (Svelte's messages/ folder, in one table): every code `validate`
// (and the commands built on it) can report, with its severity, message templates, help and an
// example. The `Diagnostic.code` type is derived from this table, so a rule cannot report a code
// that is not here; `docs/diagnostics.md` is generated from it (`npm run docs:diagnostics`) and a
// test keeps the two in sync. Adding a code = adding a row here (then regenerate the docs).
//
// Templates: `{name}` stands for a value filled in by the reporter; a code may have several
// message variants. The rule tests check that every message a rule reports matches one of its
// code's templates, and that its severity is one listed here (the first is the default).
import type { Severity } from './diagnostics.js';

export type Phase = 'file' | 'yaml' | 'structure' | 'semantics' | 'data' | 'limits' | 'internal';

export interface CatalogueEntry {
  /** Where in the pipeline it is found (sections of docs/diagnostics.md). */
  readonly phase: Phase;
  /** Severities it is reported with; the first is the default. */
  readonly severity: readonly [Severity, ...Severity[]];
  /** One line: what the code means. */
  readonly title: string;
  /** Message templates, `{placeholder}` for the variable parts. */
  readonly messages: readonly [string, ...string[]];
  /** Why it matters and how to fix it. */
  readonly help: string;
  /** A spec snippet (or a command) that reports it. */
  readonly example: string;
}

const E = ['error'] as const;
const W = ['warning'] as const;
const EW = ['error', 'warning'] as const;

export const CATALOGUE = {
  // ---------------------------------------------------------------------------------------------
  // Reading the file
  // ---------------------------------------------------------------------------------------------
  'file-not-found': {
    phase: 'file',
    severity: E,
    title: 'The spec file does not exist',
    messages: ['cannot read {file}: no such file'],
    help: 'Check the path (it is relative to the working directory). Exit code 2.',
    example: '$ mmoe-compile validate configs/nope.yaml',
  },
  'not-a-file': {
    phase: 'file',
    severity: E,
    title: 'The path is a directory or another non-regular file',
    messages: ['cannot read {file}: it is a directory, not a spec file', 'cannot read {file}: not a regular file'],
    help: 'Pass a YAML file; `mmoe-compile check DIR` validates every spec in a folder. Exit code 2.',
    example: '$ mmoe-compile validate configs/',
  },
  'file-too-large': {
    phase: 'file',
    severity: E,
    title: 'The spec file is larger than 1 MiB',
    messages: ['{file} is {size} MB; specs are limited to {limit} MiB'],
    help: 'Real specs are a few kilobytes; a larger file is probably not a spec. Exit code 2.',
    example: '$ mmoe-compile validate data/train.csv',
  },
  'file-unreadable': {
    phase: 'file',
    severity: E,
    title: 'The spec file exists but cannot be read',
    messages: ['cannot read {file}: {reason}'],
    help: 'Usually permissions (EACCES). Exit code 2.',
    example: '$ chmod 000 spec.yaml && mmoe-compile validate spec.yaml',
  },
  'invalid-utf8': {
    phase: 'file',
    severity: E,
    title: 'The file is not valid UTF-8',
    messages: ['the file is not valid UTF-8 (byte {byte} at offset {offset}); save it as UTF-8'],
    help: 'Specs are read as strict UTF-8; the position of the first bad byte is shown. Re-save the file as UTF-8.',
    example: 'name: caf\\xe9   # a Latin-1 byte',
  },
  'extends-unreadable': {
    phase: 'file',
    severity: E,
    title: 'The file named by `extends` cannot be read',
    messages: ['cannot read {file}: {reason}', '{file} is {size} MB; specs are limited to {limit} MiB'],
    help: 'The path in `extends` is relative to the file that writes it.',
    example: 'extends: base/no-such-base.yaml',
  },
  'extends-cycle': {
    phase: 'file',
    severity: E,
    title: 'Files extend each other in a cycle',
    messages: ['`extends` forms a cycle: {chain}'],
    help: 'A base must not extend (directly or through others) the file that extends it.',
    example: '# a.yaml\nextends: b.yaml\n# b.yaml\nextends: a.yaml',
  },
  'extends-too-deep': {
    phase: 'file',
    severity: E,
    title: '`extends` chains too many files',
    messages: ['`extends` chains more than {max} files; a spec needs two or three'],
    help: 'A bound on the extends chain (a spec needs a base or two).',
    example: 'extends: a.yaml   # which extends b.yaml, which extends ...',
  },
  'read-option': {
    phase: 'file',
    severity: E,
    title: 'A read option (--root, --allow-read, --config) is unusable',
    messages: [
      '{option} {path}: no such folder',
      '{option} {path}: not a folder',
      '--config {file}: no such file',
      '{file}: {reason}',
    ],
    help: 'The read policy could not be set up; see docs/security-data.md. Exit code 2.',
    example: '$ mmoe-compile validate spec.yaml --root no-such-dir',
  },
  'spec-outside-root': {
    phase: 'file',
    severity: E,
    title: 'The spec file itself is outside the project root',
    messages: ['cannot read {file}: {reason}'],
    help: 'Specs are read only inside the project root (the repository holding them, or --root). Exit code 2.',
    example: '$ mmoe-compile validate ../elsewhere/spec.yaml --root .',
  },
  'path-absolute': {
    phase: 'file',
    severity: E,
    title: 'A spec names a file by an absolute path',
    messages: ['"{path}" is an absolute path; a spec names files relative to itself, inside {where} ({root})'],
    help: 'Files a spec names (extends, data, vocabulary files) are relative to the spec, inside the project root.',
    example: 'data: { source: csv, train: /etc/passwd }',
  },
  'path-outside-root': {
    phase: 'file',
    severity: E,
    title: 'A spec names a file outside the project root',
    messages: ['"{path}" leaves {where} ({root}); {hint}'],
    help: 'Data folders outside the root can be allowed with --allow-read DIR or "allowRead" in mmoe-compile.config.json.',
    example: 'data: { source: csv, train: ../../secrets.csv }',
  },
  'path-symlink-outside-root': {
    phase: 'file',
    severity: E,
    title: 'A named file leads through a symbolic link out of the root',
    messages: ['"{path}" leads through a symbolic link out of {where} ({root})'],
    help: 'Symbolic links are followed only while they stay inside the root.',
    example: 'data: { source: csv, train: link-to-home/data.csv }',
  },
  'path-not-a-file': {
    phase: 'file',
    severity: E,
    title: 'A named path is a folder, a device or a pseudo-file',
    messages: [
      '"{path}" is a system pseudo-file (under /proc, /sys or /dev), not a {kind} file',
      '"{path}" is a folder, not a {kind} file',
      '"{path}" is not a regular file (a device, FIFO or socket)',
    ],
    help: 'Data, vocabulary and base files must be regular files.',
    example: 'data: { source: csv, train: data/ }',
  },
  'path-in-git-folder': {
    phase: 'file',
    severity: E,
    title: 'A named file is inside a .git folder',
    messages: ['"{path}" is inside a .git folder: repository internals are not {kind}'],
    help: 'Repository internals are never read as specs or data.',
    example: 'extends: .git/config',
  },
  'bad-set': {
    phase: 'file',
    severity: E,
    title: 'A --set override cannot be applied',
    messages: [
      '--set takes path=value (e.g. training.epochs=3), got "{arg}"',
      'cannot read the path "{path}" (use dots and [index], e.g. model.levels[0].pools[0].count)',
      'cannot read the value "{value}": {reason}',
      '--set {path}: no item named "{name}" in {parent}',
      '--set {path}: index {index} is past the end of a list of {length}',
      '--set {path}: {parent} is not a mapping or list',
      '--set {path}: {parent} does not exist',
    ],
    help: 'Overrides are `path=value`, the value written in YAML; list items may be named (`tasks.ctr.weight=2`). The location is `<--set>:N:C`, N the Nth override.',
    example: '$ mmoe-compile validate spec.yaml --set training.epochs',
  },
  // ---------------------------------------------------------------------------------------------
  // YAML
  // ---------------------------------------------------------------------------------------------
  'empty-spec': {
    phase: 'yaml',
    severity: E,
    title: 'The file has no content',
    messages: [
      'the spec is empty; it needs at least specVersion, data, features, featureGroups, model, tasks and training',
      'the spec has no content (only comments?)',
    ],
    help: 'Start from a file in configs/ (e.g. `extends: base/ecom-base.yaml` plus a `model:`).',
    example: '# only a comment',
  },
  'yaml-syntax': {
    phase: 'yaml',
    severity: E,
    title: 'The YAML cannot be parsed',
    messages: [
      'a spec file holds one YAML document; remove this `---` and what follows (or move it to its own file)',
      'YAML could not be parsed: {reason}',
      '{reason}',
    ],
    help: "The parser's message, at the place it stopped. Tabs cannot indent YAML; a spec is one document.",
    example: 'model:\n\tlevels: []   # a tab',
  },
  'too-deep': {
    phase: 'yaml',
    severity: E,
    title: 'Mappings and lists nest more than 64 levels',
    messages: [
      'the YAML nests mappings and lists more than {max} levels deep; a spec needs fewer than 10 (unbalanced brackets?)',
    ],
    help: 'A spec needs fewer than 10 levels; this is usually unbalanced brackets in a flow list.',
    example: 'units: [[[[[[[[ ... ]]]]]]]]',
  },
  'duplicate-key': {
    phase: 'yaml',
    severity: E,
    title: 'A key appears twice in one mapping',
    messages: [
      'duplicate key "{key}": it is already set at line {line}; each key may appear once in a mapping (merge the two)',
      'this key is already used in the same mapping; each key may appear once',
    ],
    help: 'YAML would silently keep the last one; merge the two entries.',
    example: 'training: { epochs: 3 }\ntraining: { batchSize: 64 }',
  },
  'alias-expansion': {
    phase: 'yaml',
    severity: E,
    title: 'Aliases expand the document beyond 100,000 nodes',
    messages: [
      'alias *{alias} expands the document to more than {max} nodes (an alias bomb?); write the values out instead',
      'aliases expand the document to more than {max} nodes (an alias bomb?); write the values out instead',
    ],
    help: 'Guards against alias bombs (billion laughs).',
    example:
      'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
  },
  'unresolved-alias': {
    phase: 'yaml',
    severity: E,
    title: 'An alias names no anchor defined before it',
    messages: ['alias *{alias} refers to no anchor &{alias} defined before it'],
    help: 'Define the anchor (`&name`) before the alias (`*name`) that uses it.',
    example: 'featureGroups:\n  user: *users',
  },
  'cyclic-alias': {
    phase: 'yaml',
    severity: E,
    title: 'An alias refers to a node that contains it',
    messages: ['alias *{alias} refers to a node that contains it'],
    help: 'A value cannot contain itself.',
    example: 'a: &u { self: *u }',
  },
  'complex-key': {
    phase: 'yaml',
    severity: E,
    title: 'A mapping key is not a plain scalar',
    messages: ['mapping keys must be plain scalars'],
    help: 'Keys are names; `? [a, b]: 1` style keys are not allowed.',
    example: '? [a, b]\n: 1',
  },
  'merge-key': {
    phase: 'yaml',
    severity: E,
    title: 'YAML merge keys (<<) are not supported',
    messages: ['YAML merge keys (<<) are not supported; use `extends:` or repeat the values'],
    help: 'Use `extends:` to reuse a base spec.',
    example: 'pool: &p { units: [8] }\nother: { <<: *p, count: 2 }',
  },
  'reserved-key': {
    phase: 'yaml',
    severity: E,
    title: 'A key such as __proto__ is used',
    messages: ['the key "{key}" is reserved and not allowed in a spec'],
    help: '`__proto__`, `constructor` and `prototype` are refused anywhere in a spec (and in --set values).',
    example: 'training: { __proto__: { epochs: 3 } }',
  },
  'not-a-mapping': {
    phase: 'yaml',
    severity: E,
    title: 'The top level is not a mapping',
    messages: ['a spec must be a YAML mapping (key: value pairs) at the top level'],
    help: 'A spec is `key: value` pairs at the top level, not a list or a scalar.',
    example: '- specVersion: 1',
  },
  // ---------------------------------------------------------------------------------------------
  // Structure (JSON Schema)
  // ---------------------------------------------------------------------------------------------
  schema: {
    phase: 'structure',
    severity: E,
    title: 'Another JSON Schema violation',
    messages: ['{where}: {reason}'],
    help: 'A schema keyword without a more specific code; the message names the place and the rule.',
    example: 'mmoe-compile schema   # prints the full schema',
  },
  'unknown-key': {
    phase: 'structure',
    severity: E,
    title: 'A key the schema does not define',
    messages: ['unknown key "{key}" in {where}.{didYouMean}', 'unknown key "{key}" in {where}. Allowed: {keys}.'],
    help: 'Every mapping is closed, so a typo is an error rather than ignored. The message suggests the nearest key.',
    example: 'training:\n  epoch: 3   # epochs',
  },
  'missing-key': {
    phase: 'structure',
    severity: E,
    title: 'A required key is missing',
    messages: ['{where} is missing the required key "{key}"', '{where} needs a "{tag}" (one of {values})'],
    help: 'Keys with defaults may be left out; these may not.',
    example: 'features:\n  - { name: user_age }   # no type',
  },
  'schema-type': {
    phase: 'structure',
    severity: E,
    title: 'A value has the wrong type',
    messages: ['{where} must be {type}, not {got}', '`extends` must be a file path (string)', '{where}: {reason}'],
    help: 'The message names the expected and the actual type.',
    example: 'training:\n  epochs: three',
  },
  'schema-enum': {
    phase: 'structure',
    severity: E,
    title: 'A value is not one of the allowed values',
    messages: ['{where} must be one of {values}; got {got}.{didYouMean}'],
    help: 'The message lists the allowed values and suggests the nearest.',
    example: 'activation: rellu',
  },
  'schema-const': {
    phase: 'structure',
    severity: E,
    title: 'A value must be one fixed value',
    messages: ['{where} must be {value}'],
    help: 'Only one value is allowed here.',
    example: 'data: { source: synthetic, ... }',
  },
  'unsupported-spec-version': {
    phase: 'structure',
    severity: E,
    title: 'specVersion is not one this version reads',
    messages: ['specVersion {version} is not supported; this version of mmoe-compile reads specVersion {current}'],
    help: 'Older versions are upgraded on load; a newer one needs a newer mmoe-compile.',
    example: 'specVersion: 2',
  },
  'schema-pattern': {
    phase: 'structure',
    severity: E,
    title: 'A name is not a valid identifier',
    messages: [
      '{where}: {got} is not a valid name; names use letters, digits and _ and start with a letter',
      '{where}: "{name}" is not a valid name; names use letters, digits and _ and start with a letter',
    ],
    help: 'Names become layer names and JSON keys: letters, digits and _, starting with a letter.',
    example: 'featureGroups:\n  item-side: [item_id]',
  },
  'unsafe-text': {
    phase: 'structure',
    severity: E,
    title: 'Text with control characters, line breaks or bidirectional overrides',
    messages: [
      '{where}: {got} contains a control character, line break, line separator or bidirectional override; column names, labels and values must be printable text',
      '{where}: the key {key} contains a control character, line break, line separator or bidirectional override; column names, labels and values must be printable text',
    ],
    help: 'Names and values end up in reports, annotations and generated code; invisible or reordering characters there are refused.',
    example: 'tasks:\n  - { name: ctr, label: "cl\\u202eick" }',
  },
  'schema-range': {
    phase: 'structure',
    severity: E,
    title: 'A number or list length is out of range',
    messages: ['{where} {reason}; got {got}', '{where} {reason}'],
    help: 'The message names the bound.',
    example: 'pools:\n  - { name: experts, count: 0, units: [8] }',
  },
  // ---------------------------------------------------------------------------------------------
  // Meaning (src/schema/rules/)
  // ---------------------------------------------------------------------------------------------
  'duplicate-name': {
    phase: 'semantics',
    severity: E,
    title: 'Two things have the same name',
    messages: ['{kind} name "{name}" is already used by a {otherKind}; names of {kinds} must be unique'],
    help: 'Features among features, tasks among tasks; groups, pools, gates and towers share one namespace (an input may name a group or a gate). Both places are shown.',
    example: 'features:\n  - { name: user_age, type: numeric }\n  - { name: user_age, type: numeric }',
  },
  'unknown-reference': {
    phase: 'semantics',
    severity: E,
    title: 'A name refers to nothing defined',
    messages: ['{referrer} "{name}", which is not defined{extra}.{didYouMean}'],
    help: 'Groups list features; inputs name groups or gates of the previous level; gates mix pools of their level; towers read a last-level gate or pool; tasks name towers (or tasks, in a product).',
    example: 'featureGroups:\n  user: [user_agee]   # user_age',
  },
  'label-leakage': {
    phase: 'semantics',
    severity: E,
    title: 'A feature reads a task label',
    messages: [
      'feature "{feature}" reads column "{column}", the label of task {tasks}: the model would see the answer it has to predict. Remove the feature (or read another column).',
      'feature "{feature}" reads column "{column}", read by the label of task {tasks}: the model would see the answer it has to predict. Remove the feature (or read another column).',
      'cross "{feature}" crosses "{component}", which reads column "{column}", {what} of task {tasks}: the model would see the answer it has to predict. Remove it from the cross.',
    ],
    help: 'A model that reads its label learns nothing useful and looks perfect in evaluation. A derived label (labelFrom) and an evaluation label leak through every column they read; a hashed cross leaks through each component.',
    example: 'features:\n  - { name: clicked, column: click, type: numeric }\ntasks:\n  - { name: ctr, label: click }',
  },
  'label-expression': {
    phase: 'semantics',
    severity: EW,
    title: 'A derived label, evaluation label or sample weight is written wrong',
    messages: [
      'task "{task}" has both label and labelFrom. Keep one: label reads a column, labelFrom derives the label from columns.',
      'task "{task}" is a regression; labelFrom derives a binary label. Make the task binary, or use label.',
      'task "{task}" derives its label with labelFrom, so {key} (for label:) does not apply. Remove {key}, or write the values into labelFrom.',
      '{where} has no column. A condition reads one column: add column:.',
      '{where} compares {column} with {count} operators ({ops}). Use exactly one of in, equals, greaterThan, atLeast, lessThan, atMost.',
      '{where} says nothing about column {column}. Add one of in, equals, greaterThan, atLeast, lessThan, atMost.',
      '{where} combines conditions with {ops}. Use one of all, any, not, without column or a comparison beside it.',
      '{where} is empty. Write a condition (column + in / equals / greaterThan / atLeast / lessThan / atMost) or all / any / not.',
      'task "{task}" has a label, so it is evaluated on it; evaluation is for tasks without one (an ESMM factor such as cvr). Remove evaluation.',
      'the evaluation of task "{task}" needs exactly one of label, labelFrom.',
      'the evaluation of task "{task}" derives its label with labelFrom, so {key} (for label:) does not apply. Remove {key}.',
      'task "{task}" is a regression; evaluation gives a binary evaluation label. Make the task binary, or remove evaluation.',
      'task "{task}" has no label and no evaluation label, so its sampleWeight weights nothing and is ignored.',
      'task "{task}" weights its rows by column "{column}", which its label reads. Weight by another column.',
    ],
    help: 'labelFrom: a condition on one column, or all / any / not over conditions and 0/1 label columns (one level). evaluation: for a task without a label (an ESMM factor); metrics only, no loss. sampleWeight: a numeric column (task or training).',
    example: 'tasks:\n  - { name: degree, labelFrom: { column: education, in: [Bachelors, Masters], greaterThan: 3 } }',
  },
  'esmm-cycle': {
    phase: 'semantics',
    severity: E,
    title: 'Product tasks depend on themselves',
    messages: [
      'task "{task}" depends on itself through product: {chain}. A product multiplies other tasks\' outputs, so the chain must end at tasks with towers.',
      'task "{task}" multiplies itself: a product multiplies other tasks\' outputs. Remove "{task}" from its product.',
    ],
    help: 'ESMM multiplies tower outputs (pCTCVR = pCTR x pCVR); a product of products must end at towers.',
    example: 'tasks:\n  - { name: a, product: [b, c] }\n  - { name: b, product: [a, c] }',
  },
  'empty-group': {
    phase: 'semantics',
    severity: E,
    title: 'A feature group that something reads lists no features',
    messages: [
      'feature group "{group}" lists no features, but {readers} read{s} it{note}. Add features to it or remove it.',
    ],
    help: 'An expert or gate reading only empty groups would have no input.',
    example: 'featureGroups:\n  extra: []',
  },
  'empty-pool': {
    phase: 'semantics',
    severity: E,
    title: 'Experts or a gate would have no input',
    messages: [
      'the experts of pool "{pool}" would have no input: {inputs} {is} empty. Give the pool inputs with features.',
      'gate "{gate}" mixes only pools whose experts have no input ({pools}). Give those pools inputs with features.',
    ],
    help: 'Every expert must read at least one feature.',
    example:
      'featureGroups: { extra: [] }\nmodel:\n  levels:\n    - pools: [{ name: experts, units: [8], inputs: [extra] }]',
  },
  'undeclared-scenario': {
    phase: 'semantics',
    severity: E,
    title: 'Scenario machinery without (or outside) declared scenarios',
    messages: [
      'gate "{gate}" is scenario-aware, but the spec declares no scenarios. {hint}',
      'tower "{tower}" is per scenario, but the spec declares no scenarios. {hint}',
      'task "{task}" is restricted to scenarios, but the spec declares none. {hint}',
      'task "{task}" trains on scenario "{value}", which scenarios.values does not declare ({values}).{didYouMean}',
      'scenario "{value}" is not in the vocabulary of the scenario feature "{feature}" ({vocabulary}), so no row could be in it.{didYouMean}',
    ],
    help: 'Scenario-aware gates, per-scenario towers and task scenarios need `scenarios: { feature, values }`, and the values must be ones the feature can take.',
    example: 'gates:\n  - { name: ctr_gate, pools: [experts], scenarioAware: true }   # no scenarios:',
  },
  'duplicate-scenario': {
    phase: 'semantics',
    severity: E,
    title: 'A scenario value is declared twice',
    messages: ['scenario value "{value}" is declared twice. Remove one.'],
    help: 'Each scenario gets one tower per per-scenario tower; a repeat is a mistake.',
    example: 'scenarios: { feature: scene, values: [home, home] }',
  },
  'star-topology': {
    phase: 'semantics',
    severity: E,
    title: 'A STAR tower or the scenario auxiliary network cannot be built as written',
    messages: [
      'tower "{tower}" uses STAR weights (star: true), but the spec declares no scenarios. {hint}',
      'tower "{tower}" is both per scenario and star; a star tower already has weights per scenario. Remove perScenario or star.',
      'the scenario auxiliary network reads the scenario embedding, but the spec declares no scenarios. {hint}',
      'the scenario auxiliary network reads "{name}", which is not a feature group.{didYouMean}',
    ],
    help: "STAR multiplies shared weights by the weights of the row's scenario, and its auxiliary network reads the scenario embedding: both need `scenarios: { feature, values }`. A star tower already specialises per scenario, so it cannot also be copied per scenario; the auxiliary network reads feature groups.",
    example: 'towers:\n  - { name: ctr, input: ctr_gate, units: [16], star: true }   # no scenarios:',
  },
  'scenario-feature': {
    phase: 'semantics',
    severity: E,
    title: 'The scenario feature is not categorical',
    messages: [
      'the scenario feature "{feature}" is {type}; scenarios are the values of a categorical feature. Use a categorical feature (e.g. type: categorical, vocabulary: [{values}]).',
    ],
    help: 'Scenarios are the values of one categorical column.',
    example: 'scenarios: { feature: user_age, values: [young, old] }',
  },
  'feature-encoding': {
    phase: 'semantics',
    severity: EW,
    title: "A feature's encoding settings are incomplete or contradictory",
    messages: [
      'feature "{feature}" uses encoding hash but sets no hashBuckets. Add hashBuckets: <number of buckets>.',
      'feature "{feature}" uses encoding identity but sets no numIds. Add numIds: <ids are integers below this>.',
      'feature "{feature}" sets both vocabulary and vocabularyFile. Keep one.',
      'feature "{feature}": {key} is ignored with encoding {encoding}. {hint}',
      'feature "{feature}" lists "{value}" twice in its vocabulary. Remove one.',
      'feature "{feature}": boundaries must increase strictly, but {b} follows {a}. Sort them and drop repeats.',
      'feature "{feature}" is numeric, but its missing-value fill is the string "{fill}". Use a number.',
    ],
    help: 'hash needs hashBuckets, identity needs numIds; settings of another encoding are ignored (warning).',
    example: 'features:\n  - { name: item_id, type: categorical, encoding: hash }   # no hashBuckets',
  },
  'feature-cross': {
    phase: 'semantics',
    severity: E,
    title: 'A hashed cross whose components cannot be crossed',
    messages: [
      'cross "{feature}" crosses "{component}", which is not defined as a feature.{didYouMean}',
      'cross "{feature}" crosses "{component}", a {kind} feature; a component must be categorical or a numeric feature bucketised by boundaries (one value per row).',
      'cross "{feature}" lists "{component}" twice; each component is crossed once. Remove one.',
    ],
    help: "A hashed cross (`type: cross`, TF's crossed_column) hashes the values of 2 or more features per row into `hashBuckets` ids with an embedding of its own. Each component must be a feature with one value per row: categorical, or numeric bucketised by `boundaries`. The schema requires `of` (at least 2) and `hashBuckets`.",
    example:
      'features:\n  - { name: user_gender, type: categorical, vocabulary: [m, f] }\n  - { name: g_x_cat, type: cross, of: [user_gendr, item_category], hashBuckets: 256 }',
  },
  'shared-embedding': {
    phase: 'semantics',
    severity: E,
    title: 'Features sharing an embedding table disagree on it',
    messages: [
      'features "{first}" and "{second}" share the embedding "{table}" but differ in {setting}: {theirs} vs {mine}. Features sharing an embedding use one table; make them equal.',
    ],
    help: 'Features naming the same sharedEmbedding use one table and one id space, so they must agree on embeddingDim, encoding, and the settings of that encoding (hashBuckets; numIds; vocabulary / vocabularyFile / oovBuckets, and minCount / topK for a learned vocabulary). Before this check, training stopped with an unlocated data error.',
    example:
      'features:\n  - { name: user_history, type: sequence, sharedEmbedding: category, minCount: 2 }\n  - { name: item_category, type: categorical, sharedEmbedding: category }',
  },
  'target-attention': {
    phase: 'semantics',
    severity: EW,
    title: 'Target attention (pooling: attention) that cannot be built as written',
    messages: [
      'sequence feature "{feature}" has pooling attention but no attention settings; add attention: { target: <a categorical feature sharing its embedding> }.',
      'sequence feature "{feature}" attends to "{target}", which is not defined as a feature.{didYouMean}',
      'sequence feature "{feature}" attends to "{target}", a {kind} feature; the target must be a categorical feature (one id per row).',
      'sequence feature "{feature}" attends to "{target}", but they do not share an embedding table; give both the same sharedEmbedding (the history and the target must be rows of one table).',
      'sequence feature "{feature}" has attention settings but pooling {pooling}; they are ignored unless pooling is attention.',
    ],
    help: 'DIN-style target attention (Zhou et al., KDD 2018) scores each value of a sequence against a target by comparing their embeddings, so both must be rows of one table: the target is a categorical feature naming the same sharedEmbedding as the sequence (and so the same id space). Attention settings on a sequence pooled by sum, mean or max are reported as a warning.',
    example:
      'features:\n  - { name: user_history, type: sequence, pooling: attention, attention: { target: item_category } }\n  - { name: item_category, type: categorical }   # no sharedEmbedding',
  },
  'bucketized-numeric': {
    phase: 'semantics',
    severity: EW,
    title: 'Normalisation or embedding settings that a numeric feature would not use',
    messages: [
      'feature "{feature}" is bucketised by boundaries (in raw units) and also sets normalization: {normalization}, which bucketised features do not apply. Remove normalization (boundaries are compared with the raw value), or remove boundaries to normalise.',
      'feature "{feature}": embeddingDim applies to a bucketised feature only, and it sets no boundaries, so it is ignored. Add boundaries to bucketise it, or remove embeddingDim.',
    ],
    help: 'A numeric feature is either normalised (a float input) or bucketised by `boundaries` (an embedded bucket id); the boundaries are compared with the raw value. Before this check, `normalization: log` with boundaries was silently ignored.',
    example: 'features:\n  - { name: item_price, type: numeric, normalization: log, boundaries: [1, 2, 3] }',
  },
  'vector-columns': {
    phase: 'semantics',
    severity: E,
    title: 'A vector feature whose columns are not given, or cannot become feature names',
    messages: [
      'vector feature "{feature}" gives both columns and {key}; use one form: a column list, or prefix and count.',
      'vector feature "{feature}" gives {key} without {other}; the prefix form needs both (columns prefix0, prefix1, ...).',
      'vector feature "{feature}" names no columns: give columns: [...], or prefix and count.',
      'vector feature "{feature}": column "{column}" cannot name a feature (each component is named like its column: letters, digits and _, starting with a letter); rename the column or list other columns.',
      'vector feature "{feature}": its component "{column}" has the name of {other}; feature names must be unique.',
    ],
    help: 'A vector feature (`type: vector`) reads many numeric columns, listed (`columns: [a, b]`) or as `prefix` + `count` (x0 .. x99). The compiler expands it into one numeric feature per column, named like the column, so each column must be a valid feature name that no other feature has.',
    example: 'features:\n  - { name: x, type: vector, prefix: x }',
  },
  'gate-width': {
    phase: 'semantics',
    severity: E,
    title: 'A gate mixes pools of different output widths',
    messages: [
      'gate "{gate}" mixes pools of different widths: "{a}" outputs {wa}, "{b}" outputs {wb}. A gate adds its experts\' outputs, so make the last entries of their units equal.',
    ],
    help: "A gate's output is a weighted sum of its experts' outputs, so they must have one width.",
    example:
      'pools:\n  - { name: experts, units: [8] }\n  - { name: wide, units: [16] }\ngates:\n  - { name: g, pools: [experts, wide] }',
  },
  'pool-needs-gate': {
    phase: 'semantics',
    severity: E,
    title: 'A tower reads a pool of several experts directly',
    messages: [
      'tower "{tower}" reads pool "{pool}", which has {count} experts; a tower reads one vector. Put a gate over the pool and read the gate (or give the pool count: 1).',
    ],
    help: 'Only a single-expert pool (Shared-Bottom) can feed a tower directly.',
    example: 'pools: [{ name: experts, count: 2, units: [8] }]\ntowers: [{ name: ctr, input: experts }]',
  },
  'level-inputs': {
    phase: 'semantics',
    severity: E,
    title: 'A pool after the first level does not say what it reads',
    messages: [
      'pool "{pool}" at level {level} declares no inputs; after the first level a pool must say what it reads. Add inputs: [<a gate of level {previous}>]{gates} or the feature groups it should read.',
    ],
    help: 'The default (every feature group) would silently ignore the previous level.',
    example: 'levels:\n  - pools: [...]\n    gates: [...]\n  - pools: [{ name: upper, units: [8] }]   # no inputs',
  },
  'gate-topk': {
    phase: 'semantics',
    severity: EW,
    title: 'topK is not below the number of experts mixed',
    messages: ['gate "{gate}" keeps the top {k} of {n} experts{note}. Use a topK below {n}, or remove topK.'],
    help: 'topK above the number of experts is an error; equal to it keeps them all (a warning).',
    example: 'gates: [{ name: g, pools: [experts], topK: 3 }]   # experts has 2',
  },
  'task-head': {
    phase: 'semantics',
    severity: EW,
    title: "A task's head, loss, metrics or sample space do not fit its kind",
    messages: [
      'task "{task}" is a product of other tasks and has no tower of its own. Remove tower (or product).',
      'task "{task}" lists "{factor}" twice in its product. List each factor once.',
      'task "{task}" has no label and is not part of any product, so it is trained by nothing. Give it a label, or multiply it into a product task (ESMM).',
      'task "{task}" has no label, so its sampleSpace restricts no loss and is ignored.',
      'task "{task}" has a label but weight 0, so its loss counts for nothing. Give it a weight above 0, or remove the label.',
      'task "{task}" restricts its loss to rows where its own label "{label}" equals {value}: it would learn a constant. Restrict it by the previous step instead (e.g. click for a conversion task), or remove sampleSpace.',
      'task "{task}" is a regression, but its loss is binary_crossentropy. Use mse, mae or huber (or type: binary).',
      'task "{task}" is a regression; {metric} is a metric for binary tasks. Use mse or mae.',
      'task "{task}" is a regression, so positive (the value counted as 1 for binary labels) is ignored.',
      'task "{task}" is a regression, so negative (the values counted as 0 for binary labels) is ignored.',
      'task "{task}" lists {value} as a negative value, but it is the positive value. Remove it from negative.',
    ],
    help: 'Regression tasks take mse / mae / huber and the metrics mse and mae; product tasks (ESMM) have no tower.',
    example: 'tasks:\n  - { name: price, type: regression, label: item_price, loss: binary_crossentropy }',
  },
  'multiclass-head': {
    phase: 'semantics',
    severity: EW,
    title: "A multi-class task's classes, loss, metrics or product do not fit",
    messages: [
      'task "{task}" multiplies "{factor}", a multiclass task: an ESMM product needs a probability of one event. Multiply binary tasks only.',
      'task "{task}" is multiclass and a product of tasks: an ESMM product is a probability of one event. Make it binary, or remove product.',
      'task "{task}" is multiclass but declares no classes. List its label values: classes: [a, b, c].',
      'task "{task}" lists class {value} twice. List each class once.',
      'task "{task}" has {count} classes, so top_k_accuracy with k = {k}{note} is always 1. Set topK below {count}, or leave top_k_accuracy out of metrics.',
      'task "{task}" is multiclass, but its loss is {loss}. Use categorical_crossentropy (the default).',
      'task "{task}" is multiclass; {metric} is not a multi-class metric. Use accuracy, top_k_accuracy, macro_auc or logloss.',
      'task "{task}" is multiclass, so {key} (for binary labels) is ignored; its label values are its classes.',
      'task "{task}" is multiclass, but its tower "{tower}" is per-scenario: multi-class heads on per-scenario towers are not supported. Use a shared tower.',
      'task "{task}" is multiclass, but its tower "{tower}" is a star tower: multi-class heads on star towers are not supported. Use a shared tower.',
      'task "{task}" is multiclass, but the model has a scenario auxiliary network, which adds one logit per task: multi-class heads cannot take it. Remove model.scenarioAuxiliary.',
      'task "{task}" is {type}; {key} is for multiclass tasks. Set type: multiclass, or remove {key}.',
      'task "{task}" is {type}, but its loss is categorical_crossentropy, a multi-class loss. Set type: multiclass, or use a {type} loss.',
      'task "{task}" is {type}; {metric} is a metric for multiclass tasks. Set type: multiclass, or remove {metric}.',
    ],
    help: 'A `type: multiclass` task has a softmax head over its declared `classes` (output order = list order), the loss categorical_crossentropy and the metrics accuracy, top_k_accuracy (k = `topK`, default 3), macro_auc (one-vs-rest, averaged over classes) and logloss. It cannot take part in an ESMM product.',
    example:
      'tasks:\n  - { name: job, type: multiclass, label: occupation, classes: [Sales, Tech-support], metrics: [auc] }',
  },
  'early-stopping': {
    phase: 'semantics',
    severity: E,
    title: 'Early stopping cannot watch what it names',
    messages: [
      'early stopping watches task "{task}", which has no label to measure a validation metric on. Watch a task with a label.{didYouMean}',
      'early stopping watches {metric} on task "{task}", a regression; {metric} is a metric for binary tasks{note}. Set metric: mse or mae.',
      'early stopping watches {metric} on task "{task}", a multiclass task; {metric} is not a multi-class metric{note}. Set metric: accuracy, top_k_accuracy, macro_auc or logloss.',
      'early stopping watches {metric} on task "{task}", but the task computes only {metrics}. Add {metric} to its metrics, or watch one of them.',
      'early stopping needs a validation split, but training.validationFraction is 0. Set validationFraction above 0, or remove earlyStopping.',
    ],
    help: 'The watched metric is computed on the validation split each epoch, so the task needs a label, the metric must be one the task computes (its `metrics`, default auc, logloss, accuracy for binary and mse, mae for regression), and there must be a validation split. Before this check, `metric: mse` on a binary task trained an epoch and then failed with an internal error.',
    example: 'tasks:\n  - { name: ctr, label: click }\ntraining:\n  earlyStopping: { task: ctr, metric: mse }',
  },
  'lr-schedule': {
    phase: 'semantics',
    severity: EW,
    title: 'The learning-rate schedule is incomplete or longer than training',
    messages: [
      'decay {decay} needs {missing}. Set {missing} under training.learningRateSchedule.',
      'the warmup of {warmup} steps is not shorter than training: at most {total} steps ({epochs} epochs of at most {batches} batches of {batchSize} from {rows} rows). Shorten warmupSteps or train longer.',
      'the warmup of {warmup} steps is not shorter than training: {total} steps ({epochs} epochs of {batches} batches). Shorten warmupSteps or train longer.',
      'minLearningRate {min} is not below learningRate {lr}, so cosine decay would not lower the rate. Set minLearningRate below learningRate.',
      '{key} is ignored with decay {decay}{note}. Remove it (or change decay).',
    ],
    help: 'Each optimizer step takes the rate of the schedule at that step (docs/training.md): a linear warmup over warmupSteps, then constant, step (decayRate every decaySteps), exponential (decayRate^(t / decaySteps)) or cosine (down to minLearningRate at the last step). A warmup that lasts the whole run never reaches the configured rate; with synthetic data (or data.maxRows) this is found by validate, otherwise when training starts.',
    example: 'training:\n  epochs: 1\n  learningRateSchedule: { warmupSteps: 100000, decay: cosine }',
  },
  'loss-option': {
    phase: 'semantics',
    severity: EW,
    title: 'A loss option does not fit its task',
    messages: [
      'task "{task}" is a {type}; {option} applies to binary tasks only. Remove it (or use type: binary).',
      'task "{task}" sets loss {loss}, but focal loss replaces binary cross-entropy. Remove loss, or remove focal.',
      'task "{task}" has no label: it is trained only through a product, so its {option} is never used. Put it on the product task.',
    ],
    help: 'Label smoothing and focal loss modify the binary cross-entropy of one task (docs/training.md); a regression has no class probabilities to smooth or focus, a multi-class task has a softmax loss of its own, and a task without a label has no loss of its own.',
    example: 'tasks:\n  - { name: price, type: regression, label: item_price, focal: { gamma: 2 } }',
  },
  'embedding-l2': {
    phase: 'semantics',
    severity: E,
    title: 'embeddingL2 names a table that does not exist',
    messages: [
      'embeddingL2 names "{table}", which is not an embedding table. Tables are named by their feature or sharedEmbedding: {tables}.{didYouMean}',
    ],
    help: 'training.embeddingL2 maps a table to its L2 weight. A table is named like the feature that owns it (categorical, sequence, or bucketised numeric), or like the `sharedEmbedding` its features share.',
    example: 'training:\n  embeddingL2: { user_idd: 0.0001 }',
  },
  'task-weighting': {
    phase: 'semantics',
    severity: W,
    title: 'A task-weighting setting has no effect',
    messages: [
      'task weighting {method} balances several losses, but only {count} task contributes to the loss, so it only rescales that loss. Use method: fixed.',
      'temperature is used by method dwa only; it is ignored with method {method}. Remove it.',
    ],
    help: 'uncertainty and dwa learn or adapt one weight per task with a label and a weight above 0 (docs/training.md); with one such task there is nothing to balance.',
    example: 'tasks:\n  - { name: ctr, label: click }\ntraining:\n  taskWeighting: { method: dwa }',
  },
  'no-objective': {
    phase: 'semantics',
    severity: E,
    title: 'No task contributes to the loss',
    messages: [
      'no task has both a label and a weight above 0, so training has no loss to minimise. Give a labelled task a weight above 0{note}.',
    ],
    help: 'Training minimises the weighted sum of the losses of the tasks with a label and a weight above 0. Before this check, a spec whose tasks all had weight 0 loaded its data and then failed with an internal error.',
    example: 'tasks:\n  - { name: ctr, label: click, weight: 0 }',
  },
  unused: {
    phase: 'semantics',
    severity: W,
    title: 'Something is defined but nothing reads it',
    messages: [
      'feature "{feature}" is in no feature group, so nothing reads it. Add it to a group (or remove it).',
      'feature group "{group}" is read by no pool or gate. List it in some inputs (or remove it).',
      'pool "{pool}" is mixed by no gate{orTower}, so its experts are computed for nothing. Add it to a gate\'s pools{orInput}.',
      'gate "{gate}" is computed for nothing: {why}.',
      'tower "{tower}" is used by no task (a task uses the tower named like it, or the one its tower: names).',
    ],
    help: 'A feature in no group, a group no pool reads, a pool no gate mixes, a gate nothing reads, a tower no task uses: the model still builds, but it is probably a typo or a leftover.',
    example: 'features:\n  - { name: user_city, type: categorical }   # in no group',
  },
  'data-source': {
    phase: 'semantics',
    severity: EW,
    title: 'The data cannot feed a feature or label as declared',
    messages: [
      'feature "{feature}" is {type}, but data.columns declares its column "{column}" a {columnType}. {hint}',
      'task "{task}" is a regression, but data.columns declares its label "{label}" a string. Declare it a number (or make the task binary with positive:).',
      '{what} reads column "{column}", which the {generator} generator does not produce.{hint}',
      'feature "{feature}" is numeric, but the {generator} generator produces "{column}" as strings. Make it categorical.',
    ],
    help: 'CSV column types declared in data.columns must fit the features and labels (errors); the synthetic generators produce fixed columns (warnings).',
    example:
      'data:\n  source: csv\n  train: train.csv\n  columns: { user_age: string }\nfeatures:\n  - { name: user_age, type: numeric }',
  },
  'generator-params': {
    phase: 'semantics',
    severity: E,
    title: 'A synthetic generator param that does not exist or is out of range',
    messages: [
      'the {generator} generator has no param "{key}".{didYouMean}',
      'the {generator} generator has no param "{key}". Its params: {params}.',
      'data.params.{key} must be {range}; got {value}.',
    ],
    help: 'Each built-in generator has its own knobs, each with a range (docs/experiments.md). Before this check, a typo or an out-of-range knob passed validate and stopped train with an unlocated error.',
    example: 'data:\n  source: synthetic\n  generator: ecom\n  params: { userz: 50, items: 0 }',
  },
  // ---------------------------------------------------------------------------------------------
  // The data (src/data/sample-check.ts; CSV sources; `validate --no-data` skips these)
  // ---------------------------------------------------------------------------------------------
  'data-file': {
    phase: 'data',
    severity: E,
    title: 'A data or vocabulary file cannot be read',
    messages: ['{reason}', 'feature "{feature}": vocabulary file {file} {problem}'],
    help: 'Data paths are relative to the spec file; a misspelt name gets a did-you-mean against the files beside it.',
    example: 'data: { source: csv, train: data/trian.csv }',
  },
  'data-encoding': {
    phase: 'data',
    severity: E,
    title: 'A data file is not valid text in its declared encoding',
    messages: ['{reason}'],
    help: 'Save the file as UTF-8, or declare its encoding in data.encoding.',
    example: 'data: { source: csv, train: latin1.csv }',
  },
  'data-column': {
    phase: 'data',
    severity: E,
    title: 'A feature, label or sample space reads a column the file does not have',
    messages: [
      '{who} reads column "{column}", which {file} does not have.{didYouMean}',
      '{who} reads column "{column}", which {file} does not have. Its header has: {columns}.',
    ],
    help: 'Checked against the header of each CSV file, with a did-you-mean.',
    example: 'features:\n  - { name: agee, type: numeric }   # the header has age',
  },
  'data-not-numeric': {
    phase: 'data',
    severity: E,
    title: 'A numeric feature or regression label has a value that is not a number',
    messages: [
      'feature "{feature}" is numeric, but column "{column}" has {value} at {row}{count}; make it categorical, or list the spelling in data.naValues if it means missing',
      'task "{task}" is a regression, but its label column "{label}" has {value} at {row}{count}',
      'task "{task}": labelFrom compares column "{column}" with a number, but it has {value} at {row}{count}',
    ],
    help: 'Found in the rows validate samples (the first 1,000, 1 MiB); train checks every row.',
    example: 'features:\n  - { name: workclass, type: numeric }   # holds "Private"',
  },
  'data-all-missing': {
    phase: 'data',
    severity: EW,
    title: 'Every sampled value of a feature column is missing',
    messages: [
      'feature "{feature}": every value of column "{column}" is missing in {where} (missing spellings: {spellings})',
    ],
    help: 'An error when the whole file was read and the feature is numeric (train would refuse it); otherwise a warning.',
    example: 'data: { source: csv, train: t.csv, naValues: ["", "0"] }',
  },
  'data-label-value': {
    phase: 'data',
    severity: E,
    title: 'A binary label has values that are neither positive nor negative',
    messages: [
      'task "{task}": label column "{label}" has {values} (first at {row}), neither positive nor negative ({declared}); list them in negative:, or write negative: other to count every other value as 0',
      '{reason}',
      'task "{task}": label column "{label}" has {values} (first at {row}), not among its {count} classes; add them to classes, or set unknownClass: skip to leave such rows out of this task',
    ],
    help: 'A binary label counts `positive` as 1 and `negative` as 0; any other value would silently be a negative.',
    example: 'tasks:\n  - { name: income, label: income, positive: ">50K" }   # the file also has ">50K."',
  },
  'data-sample-weight': {
    phase: 'data',
    severity: E,
    title: 'A sample-weight column has a value that is not a finite number >= 0',
    messages: [
      '{who}: sample weight column "{column}" has {value} at {row}{count}; weights are finite numbers >= 0, present on every row',
    ],
    help: "A weight multiplies the row's loss and its share of the weighted metrics: a negative, infinite, missing or non-numeric weight has no meaning. Found in the rows validate samples; train checks every row and names the file and row.",
    example: 'training: { sampleWeight: fnlwgt }   # a row has fnlwgt = -1',
  },
  'data-split': {
    phase: 'data',
    severity: E,
    title: 'A data split would be empty (reported by train)',
    messages: [
      '{file}: the {part} split is empty ({n} data rows, testFraction {fraction}); add rows, change data.testFraction or give data.test',
      '{file}: the {part} split is empty ({n} training rows, validationFraction {fraction}); add rows or change training.validationFraction',
    ],
    help: 'The test split (data.testFraction of the rows, unless data.test is given) and the validation split (training.validationFraction of the rest) must each get a row, and so must training. Found by train, once the rows are counted; located at the fraction.',
    example: 'data: { source: synthetic, rows: 3 }\ntraining: { validationFraction: 0.1 }',
  },
  'data-constant-label': {
    phase: 'data',
    severity: E,
    title: 'A label never varies over the training rows (reported by train)',
    messages: [
      '{file}: task "{task}" (label column "{label}"): the label is constant (every counted training row is {value}); nothing to learn',
      '{file}: task "{task}" (label column "{label}"): no training row has a label in the task\'s sample space',
      '{file}: task "{task}" (label {label}): the label is constant (every counted training row is {value}); nothing to learn',
      '{file}: task "{task}" (label {label}): no training row has a label in the task\'s sample space',
    ],
    help: "A label with one value teaches nothing (and a binary AUC is undefined). Found by train over the training rows (inside the task's sample space); located at the task's label or sampleSpace.",
    example:
      'tasks:\n  - { name: cvr, label: conversion, sampleSpace: { column: click } }   # no conversion in a tiny sample',
  },
  'data-rows': {
    phase: 'data',
    severity: E,
    title: 'A data file has no rows, or a malformed row in the sample',
    messages: [
      '{reason} (in the first {n} rows validate reads)',
      '{file}: the file is empty (expected a header row)',
      '{file}: no data rows (the file has a header only)',
    ],
    help: 'Rows past the sample are checked by train (data.badRows: skip drops malformed ones).',
    example: 'data: { source: csv, train: header-only.csv }',
  },
  // ---------------------------------------------------------------------------------------------
  // Limits and internal
  // ---------------------------------------------------------------------------------------------
  'resource-limit': {
    phase: 'limits',
    severity: E,
    title: 'The model would exceed the parameter limit',
    messages: [
      'the model would have about {params} parameters (largest block {block}: {blockParams}), over the limit of {limit}; raise it with limits.maxParameters or --max-params if this is intended',
    ],
    help: 'Checked before anything is built; the default limit is 2e8 parameters.',
    example: 'pools:\n  - { name: experts, count: 100000, units: [100000] }',
  },
  'too-many-diagnostics': {
    phase: 'limits',
    severity: EW,
    title: 'More than 200 diagnostics: the rest are summarised',
    messages: [
      '{n} more problems are not shown ({errors} errors, {warnings} warnings), the first of them here; fix the ones above and run again',
    ],
    help: 'At most 200 diagnostics are shown per spec, errors first.',
    example: 'featureGroups:\n  user: [a1, a2, ..., a500]   # none defined',
  },
  'internal-error': {
    phase: 'internal',
    severity: E,
    title: 'A bug in a validation rule',
    messages: ['rule {rule} failed: {reason}'],
    help: 'A rule threw; the other rules still ran. Please report it with the spec.',
    example: '(none: every known case is a bug to fix)',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type DiagnosticCode = keyof typeof CATALOGUE;

export const CODES = Object.keys(CATALOGUE) as DiagnosticCode[];

export function isDiagnosticCode(s: string): s is DiagnosticCode {
  return Object.prototype.hasOwnProperty.call(CATALOGUE, s);
}

export function entryOf(code: DiagnosticCode): CatalogueEntry {
  return CATALOGUE[code];
}

/** A template as a pattern: `{x}` matches anything (including nothing). */
export function templatePattern(template: string): RegExp {
  const parts = template.split(/\{[A-Za-z]+\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[\\s\\S]*')}$`);
}

/** Whether a reported message is one of its code's templates. */
export function matchesTemplate(code: DiagnosticCode, message: string): boolean {
  return CATALOGUE[code].messages.some((t) => templatePattern(t).test(message));
}
