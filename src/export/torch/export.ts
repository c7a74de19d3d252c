// `mmoe-compile export <model-folder> --format torch -o <dir>`: a small Python package that
// trains and serves the model folder's model on PyTorch, generated from its ir.json and model.json:
//   model.py          the nn.Module (generated; submodules named like the IR's blocks)
//   mmoe_layers.py    the generic blocks it is made of        (targets/torch/, copied)
//   mmoe_weights.py   tfjs weights <-> torch, via weights_map.json
//   pipeline.py       applies pipeline.json to raw CSV rows as the TypeScript pipeline does
//   train.py          training, one process or many (torchrun, DistributedDataParallel)
//   weights_map.json, and the model folder's model.json, weights.bin, pipeline.json, ir.json, spec.json
// train.py writes a complete model folder (model.json, weights.bin, pipeline.json, ir.json, ...) that
// `mmoe-compile evaluate`, `predict` and the serving module read unchanged.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelIR } from '../../compiler/ir.js';
import { generateTorchModule, type ModelInputInfo, type WeightMapEntry } from './codegen.js';

/** Where the package's fixed Python files live (targets/torch/ in the repository and the npm package). */
export const TORCH_RUNTIME_DIR = fileURLToPath(new URL('../../../targets/torch/', import.meta.url));
export const TORCH_RUNTIME_FILES = ['mmoe_layers.py', 'mmoe_weights.py', 'pipeline.py', 'train.py'] as const;
/** Files of the model folder carried into the package (train.py writes them into its output folder). */
export const CARRIED_FILES = ['model.json', 'weights.bin', 'pipeline.json', 'ir.json', 'spec.json'] as const;

interface ModelJson {
  modelTopology: {
    config: {
      input_layers: [string, number, number][];
      layers: { class_name: string; config: { name: string; dtype?: string; batch_input_shape?: (number | null)[] } }[];
    };
  };
  weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype?: string }[] }[];
}

export class ExportError extends Error {}

function readJson<T>(dir: string, file: string): T {
  let text: string;
  try {
    text = readFileSync(join(dir, file), 'utf8');
  } catch (e) {
    throw new ExportError(
      `${join(dir, file)}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); is ${dir} a model folder written by mmoe-compile?`,
    );
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ExportError(`${join(dir, file)}: not valid JSON`);
  }
}

export function modelInputs(model: ModelJson): ModelInputInfo[] {
  const cfg = model.modelTopology.config;
  const byName = new Map(
    cfg.layers.filter((l) => l.class_name === 'InputLayer').map((l) => [l.config.name, l.config] as const),
  );
  return cfg.input_layers.map(([name]) => {
    const l = byName.get(name);
    const shape = l?.batch_input_shape ?? [null, 1];
    return { name, dtype: l?.dtype === 'int32' ? 'int32' : 'float32', width: (shape[1] as number) ?? 1 };
  });
}

export interface TorchPackage {
  /** Relative path -> content. */
  files: Map<string, string | Uint8Array>;
  weightMap: WeightMapEntry[];
}

/** The package's files for a model folder (nothing written). */
export function torchPackage(modelDir: string): TorchPackage {
  const ir = readJson<ModelIR>(modelDir, 'ir.json');
  const model = readJson<ModelJson>(modelDir, 'model.json');
  const shapes = new Map(model.weightsManifest.flatMap((g) => g.weights.map((w) => [w.name, w.shape] as const)));
  const { modelPy, weightMap } = generateTorchModule(ir, shapes, modelInputs(model));
  const files = new Map<string, string | Uint8Array>();
  files.set('model.py', modelPy);
  files.set('weights_map.json', JSON.stringify(weightMap, null, 1) + '\n');
  for (const f of TORCH_RUNTIME_FILES) files.set(f, readFileSync(join(TORCH_RUNTIME_DIR, f)));
  for (const f of CARRIED_FILES) {
    try {
      files.set(f, readFileSync(join(modelDir, f)));
    } catch (e) {
      throw new ExportError(
        `${join(modelDir, f)}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); export needs a model folder written by mmoe-compile build or train`,
      );
    }
  }
  files.set(
    'README.md',
    [
      `# ${ir.name}: PyTorch package exported by mmoe-compile`,
      '',
      'Generated; export the model folder again rather than editing. Needs python3 with torch and numpy.',
      '',
      '```sh',
      'python3 train.py --data train.csv --out trained-model          # one process',
      'torchrun --standalone --nproc_per_node=2 train.py --data train.csv --out trained-model',
      '```',
      '',
      "On Debian's python3-torch 1.13 with Python 3.11, torchrun fails before the script starts under its default",
      "log settings ('NoneType' object has no attribute 'get'): add `--redirects 1 --tee 1`.",
      '',
      'The output folder is a complete mmoe-compile model folder (evaluate, predict, serving).',
      '',
    ].join('\n'),
  );
  return { files, weightMap };
}
