// (e) `build` latency end to end, as a user runs it: CLI start-up, spec checks, data and feature
// pipeline, tfjs + wasm start, model build, artifact writing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchModels, median } from '../lib/common.mjs';

export const title = '`build` latency (wall, end to end, CLI subprocess)';
export const note =
  'Median of 5 runs of `mmoe-compile build <spec> -o <tmp> --backend wasm` (model.json, weights.bin, pipeline, IR, summary, graphs). The validate rows above are the same measurement for `validate`.';

export async function run({ root }) {
  const out = mkdtempSync(join(tmpdir(), 'mmoe-bench-build-'));
  const rows = [];
  try {
    for (const bm of benchModels(root)) {
      const ms = [];
      for (let i = 0; i < 5; i++) {
        const t0 = process.hrtime.bigint();
        const r = spawnSync(
          process.execPath,
          [join(root, 'bin/mmoe-compile.js'), 'build', bm.file, '-o', join(out, bm.key), '--backend', 'wasm'],
          { cwd: root, encoding: 'utf8' },
        );
        ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (r.status !== 0) throw new Error(`build ${bm.file} exited ${r.status}: ${r.stderr}`);
      }
      rows.push({ command: `build ${bm.source}`, median_ms: median(ms), min_ms: Math.min(...ms) });
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return rows;
}
