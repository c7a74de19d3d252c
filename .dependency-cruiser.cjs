// The layer rules of src/, checked by dependency-cruiser in `npm test` (`npm run lint:layers`).
// ARCHITECTURE.md explains them; this file is the one place they are declared.
//
// Layers, lowest first. A module may import its own layer and the layers listed as below it,
// never a layer above:
//
//   util        src/util/            stable JSON, atomic writes, diagnostics and their rendering,
//                                    run records. Imports nothing from src/.
//   schema      src/schema/          text -> SourceDoc -> Spec (YAML, JSON Schema, semantic rules)
//   engine      src/engine/          the tfjs backend, its replacement kernels, the fused optimiser
//   compiler    src/compiler/        Spec -> ModelIR, its analysis, cost, summary, graph, diff,
//               (not build/)         explain. No tfjs: validate, diff and explain stay fast.
//   data        src/data/            tables, CSV, synthetic data, the feature pipeline
//   build       src/compiler/build/  ModelIR -> tfjs LayersModel -> model.json + weights.bin
//   train       src/train/           the training loop, metrics, evaluation, scoring
//   serve       src/serve/           serving a built model; browser-safe (see the rules below)
//   init        src/init/            a first spec inferred from a CSV (`mmoe-compile init`)
//   onnx        src/export/onnx/     a model folder as an ONNX graph (served by ONNX Runtime)
//   torch       src/export/torch/    a model folder as a PyTorch package, and training through it
//   driver      src/driver/          the end-to-end drivers: prepare, compile, train
//   experiment  src/experiment/      many drivers' runs, their records and reports
//   cli         src/cli/             commands and the entry point
//
// compiler and data are siblings (neither imports the other); so are train and serve.
const LAYERS = {
  util: { path: '^src/util/', below: [] },
  schema: { path: '^src/schema/', below: ['util'] },
  engine: { path: '^src/engine/', below: ['util'] },
  compiler: { path: '^src/compiler/(?!build/)', below: ['util', 'schema'] },
  data: { path: '^src/data/', below: ['util', 'schema'] },
  build: { path: '^src/compiler/build/', below: ['util', 'schema', 'engine', 'compiler'] },
  init: { path: '^src/init/', below: ['util', 'schema', 'compiler', 'data'] },
  onnx: { path: '^src/export/onnx/', below: ['util', 'schema', 'engine', 'compiler', 'data', 'build'] },
  train: { path: '^src/train/', below: ['util', 'schema', 'engine', 'compiler', 'data', 'build', 'onnx'] },
  serve: { path: '^src/serve/', below: ['util', 'schema', 'engine', 'compiler', 'data', 'build', 'onnx'] },
  torch: { path: '^src/export/torch/', below: ['util', 'schema', 'engine', 'compiler', 'data', 'build', 'train'] },
  driver: {
    path: '^src/driver/',
    below: ['util', 'schema', 'engine', 'compiler', 'data', 'build', 'onnx', 'train', 'torch'],
  },
  experiment: {
    path: '^src/experiment/',
    below: ['util', 'schema', 'engine', 'compiler', 'data', 'build', 'onnx', 'train', 'torch', 'driver'],
  },
  cli: {
    path: '^src/cli/',
    below: [
      'util',
      'schema',
      'engine',
      'compiler',
      'data',
      'init',
      'build',
      'onnx',
      'train',
      'serve',
      'torch',
      'driver',
      'experiment',
    ],
  },
};

const layerRules = Object.entries(LAYERS).map(([name, layer]) => ({
  name: `layer-${name}`,
  comment: `${name} may import only ${layer.below.length ? layer.below.join(', ') : 'nothing else in src/'} (and itself)`,
  severity: 'error',
  from: { path: layer.path },
  to: { path: '^src/', pathNot: [layer.path, ...layer.below.map((b) => LAYERS[b].path)] },
}));

// Where tfjs may be imported directly: the engine, the build step and everything above it.
const TFJS_LAYERS = ['engine', 'build', 'onnx', 'train', 'serve', 'torch', 'driver', 'experiment', 'cli'];

// Node-only modules and what the browser must never load.
const NODE_ONLY = ['^node:', '^(fs|path|os|url|http|crypto|child_process|worker_threads|module)$'];

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'tfjs-only-in-engine-and-above',
      comment: 'schema, compiler (front end, IR, analysis) and data never import tfjs',
      severity: 'error',
      from: { path: '^src/', pathNot: TFJS_LAYERS.map((l) => LAYERS[l].path) },
      to: { path: '@tensorflow/' },
    },
    {
      name: 'no-tfjs-in-validate-diff-explain',
      comment:
        'validate, diff and explain never load tfjs, not even through a lazy import() (STYLE.md: ' +
        'only the build step imports it, so these stay fast)',
      severity: 'error',
      from: { path: '^src/cli/commands/(validate|diff|explain)\\.ts$' },
      to: { path: '@tensorflow/', reachable: true },
    },
    {
      name: 'serve-core-is-browser-safe',
      comment:
        'src/serve/index.ts goes into web pages: nothing it reaches is Node-only, the engine ' +
        '(Node backend loader), training, tfjs-node, or the CSV / vocabulary-file readers',
      severity: 'error',
      from: { path: '^src/serve/index\\.ts$' },
      to: {
        path: [...NODE_ONLY, '^src/engine/', '^src/train/', 'tfjs-node', '^src/data/(csv|vocabulary-file)'],
        // the Tf type (erased at compile time) is the one engine module it may name
        pathNot: '^src/engine/tf\\.ts$',
        reachable: true,
      },
    },
    {
      name: 'data-pipeline-is-browser-safe',
      comment: 'the feature pipeline and label code run in the serving bundle too',
      severity: 'error',
      from: { path: '^src/data/(pipeline|labels)\\.ts$' },
      to: { path: [...NODE_ONLY, '@tensorflow/', '^src/data/(csv|vocabulary-file)'], reachable: true },
    },
    {
      name: 'no-circular',
      comment: 'no import cycles between modules (and so none between folders)',
      severity: 'error',
      from: { path: '^src/' },
      // a cycle made only of type imports loads nothing and orders nothing: allowed
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'every import resolves (generated files are built by `npm run build` first)',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    includeOnly: ['^src/', '@tensorflow/', '^node:'],
    doNotFollow: { path: 'node_modules' },
    // type-only imports count for the layers: a layer that names another's types depends on it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
