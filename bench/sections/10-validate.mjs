// validate and explain latency, including Node start-up, as a user runs them.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const title = 'validate / explain latency (wall, including Node start-up)';
export const note = 'Median of 15 runs of the CLI as a subprocess; goal for validate: well under 0.5 s.';

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(root, argv, n = 15) {
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [join(root, 'bin/mmoe-compile.js'), ...argv], {
      cwd: root,
      encoding: 'utf8',
    });
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr || r.stdout}`);
  }
  return { median_ms: median(ms), min_ms: Math.min(...ms) };
}

export async function run({ root }) {
  const rows = [];
  const nodeOnly = [];
  for (let i = 0; i < 15; i++) {
    const t0 = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0']);
    nodeOnly.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  rows.push({ command: 'node -e 0 (start-up alone)', median_ms: median(nodeOnly), min_ms: Math.min(...nodeOnly) });
  rows.push({ command: 'validate configs/ecom.yaml', ...time(root, ['validate', 'configs/ecom.yaml']) });
  rows.push({
    command: 'validate configs/*.yaml (8 specs)',
    ...time(root, [
      'validate',
      'configs/cgc.yaml',
      'configs/ecom.yaml',
      'configs/esmm.yaml',
      'configs/mmoe.yaml',
      'configs/moe.yaml',
      'configs/multi-scenario.yaml',
      'configs/ple.yaml',
      'configs/shared-bottom.yaml',
    ]),
  });
  return rows;
}
