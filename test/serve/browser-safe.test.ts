// src/serve/index.ts goes into web pages: bundling it for the browser must need nothing from
// Node (esbuild fails on a node: import under platform 'browser'), and it must not drag in the
// CSV reader, the engine's backend loader (Node-only), or tfjs-node.
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

describe('the serving core is browser-safe', () => {
  it('bundles for the browser with only @tensorflow/tfjs left outside', async () => {
    const r = await build({
      entryPoints: [join(ROOT, 'src/serve/index.ts')],
      absWorkingDir: ROOT,
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'browser',
      external: ['@tensorflow/tfjs'],
      logLevel: 'silent',
    });
    expect(r.errors).toEqual([]);
    const inputs = Object.keys(r.metafile.inputs);
    expect(
      inputs.filter((f) => /node:|src\/engine\/|csv|papaparse|tfjs-node|vocabulary-file|src\/train\//.test(f)),
    ).toEqual([]);
    expect(inputs).toContain('src/data/pipeline.ts');
    expect(inputs).toContain('src/compiler/build/custom-layers.ts');
    // The ONNX export is in the core (the onnxruntime engines export in memory); ONNX Runtime itself is the caller's.
    expect(inputs).toContain('src/export/onnx/export.ts');
    expect(inputs.filter((f) => /onnxruntime/.test(f))).toEqual([]);
    const imports = r.metafile.outputs[Object.keys(r.metafile.outputs)[0]].imports.map((i) => i.path);
    expect([...new Set(imports)]).toEqual(['@tensorflow/tfjs']);
  });
});
