// The scale-out path (docs/scale-out.md) loads model.json's Keras-format topology in Python:
// every layer class must be a Keras built-in or one of the custom classes the document gives
// Python versions of. This test builds every config in configs/ (both lowerings, training and
// inference graphs) and fails on any other class, so a new custom layer cannot slip in
// undocumented.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel, CUSTOM_LAYER_CLASSES } from '../../src/compiler/build/index.js';
import { checkSpec } from '../../src/compiler/front.js';
import type { ModelIR } from '../../src/compiler/ir.js';
import { initBackend, type Tf } from '../../src/engine/backend.js';
import { ADULT_DIR, HAVE_ADULT } from '../train/helpers.js';
import { ROOT } from './helpers.js';

/** Keras layer classes (tf.keras / Keras 2 names) that model_from_json knows without custom objects. */
const KERAS_BUILTIN = new Set([
  'InputLayer',
  'Dense',
  'Embedding',
  'Reshape',
  'Flatten',
  'Concatenate',
  'Add',
  'Multiply',
  'Average',
  'Dot',
  'Activation',
  'ReLU',
  'LeakyReLU',
  'ELU',
  'PReLU',
  'Softmax',
  'BatchNormalization',
  'LayerNormalization',
  'Dropout',
]);

/** Every spec under configs/ (base/ folders hold fragments that `extends` pulls in). */
function specFiles(dir = join(ROOT, 'configs')): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return name === 'base' ? [] : specFiles(path);
      return /\.ya?ml$/.test(name) ? [relative(ROOT, path)] : [];
    });
}

/** The IR with a stand-in size for tables sized from data (the topology does not depend on it). */
function irOf(file: string): ModelIR {
  const checked = checkSpec(join(ROOT, file));
  if (!checked.ir) throw new Error(`${file} does not lower: ${checked.diagnostics.map((d) => d.message).join('; ')}`);
  const ir = structuredClone(checked.ir);
  for (const t of ir.embeddings) t.vocabSize ??= 16;
  return ir;
}

interface KerasLayer {
  class_name: string;
  name: string;
}

function layerClasses(tf: Tf, ir: ModelIR, options: Parameters<typeof buildModel>[2]): Map<string, string[]> {
  const model = buildModel(ir, tf, options);
  const topology = model.toJSON(undefined, false) as unknown as {
    class_name: string;
    config: { layers: KerasLayer[] };
  };
  model.dispose();
  expect(topology.class_name).toBe('Model'); // Keras functional model
  const byClass = new Map<string, string[]>();
  for (const l of topology.config.layers) byClass.set(l.class_name, [...(byClass.get(l.class_name) ?? []), l.name]);
  return byClass;
}

// The census specs read ../shared/data (allowed by mmoe-compile.config.json); without it they are
// refused by the read rules, so they are left out, saying so.
const FILES = specFiles().filter((f) => HAVE_ADULT || !f.includes('census'));
if (!HAVE_ADULT) console.warn(`[census configs skipped] ${ADULT_DIR} is missing`);

describe('layer classes of every compiled config are Keras built-ins or the documented custom layers', () => {
  let tf: Tf;
  const seen = new Set<string>();
  beforeAll(async () => {
    tf = (await initBackend('cpu')).tf;
  });

  it('finds the configs', () => {
    expect(FILES).toContain('configs/mmoe.yaml');
    expect(FILES.length).toBeGreaterThanOrEqual(8);
  });

  it.each(FILES)('%s', (file) => {
    const ir = irOf(file);
    const variants = [
      { seed: 1 }, // the default build (compile / train)
      { seed: 1, training: false },
      { seed: 1, lowering: { experts: 'fused', gates: 'fused' } as const },
    ];
    for (const options of variants) {
      for (const [cls, layers] of layerClasses(tf, ir, options)) {
        seen.add(cls);
        const known = KERAS_BUILTIN.has(cls) || (CUSTOM_LAYER_CLASSES as readonly string[]).includes(cls);
        expect(
          known,
          `${file} (${JSON.stringify(options)}): layer class ${cls} (${layers.slice(0, 3).join(', ')}) is neither a Keras built-in nor a documented custom layer; add it to CUSTOM_LAYER_CLASSES, to the PyTorch target (targets/torch/mmoe_layers.py, src/export/torch/codegen.ts) and to the layer table of docs/scale-out.md`,
        ).toBe(true);
      }
    }
  });

  it('docs/scale-out.md says how the PyTorch target computes each custom layer', () => {
    const doc = readFileSync(join(ROOT, 'docs/scale-out.md'), 'utf8');
    for (const cls of CUSTOM_LAYER_CLASSES)
      expect(doc, `docs/scale-out.md's layer table has no row for ${cls}`).toMatch(
        new RegExp(`^\\| \`${cls}\` \\|`, 'm'),
      );
  });

  it('the configs use custom layers the document covers (sanity: the check above ran on real topologies)', () => {
    expect(seen).toContain('MaskedSequencePooling');
    expect(seen).toContain('GroupedDense');
    expect(seen).toContain('ScenarioSelect');
    expect(seen).toContain('GateSoftmax');
    expect(seen).toContain('Dense');
  });
});
