// Finding a python3 that can import torch. Debian's python3-torch imports with /usr/bin/python3,
// while a python3 earlier on PATH may be a separate interpreter (a pyenv shim) that does not see
// Debian's packages: so the candidates are, in order, --python / MMOE_PYTHON, /usr/bin/python3,
// then python3 on PATH; the first that imports torch and numpy is used, and named.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

export interface TorchPython {
  python: string | null;
  /** "torch 1.13.0 via /usr/bin/python3", or why none was found. */
  reason: string;
  version?: string;
}

export function findTorchPython(explicit?: string): TorchPython {
  const candidates = [explicit, process.env.MMOE_PYTHON, '/usr/bin/python3', 'python3'].filter(
    (p, i, a): p is string => !!p && a.indexOf(p) === i,
  );
  const tried: string[] = [];
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import torch, numpy; print(torch.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return { python, version: r.stdout.trim(), reason: `torch ${r.stdout.trim()} via ${python}` };
    tried.push(`${python}: ${r.error ? 'not found' : r.stderr.trim().split('\n').pop() || `exit ${r.status}`}`);
    if (explicit && python === explicit) break;
  }
  return {
    python: null,
    reason: `no python3 that imports torch and numpy (${tried.join('; ')}); install Debian's python3-torch (apt-get install python3-torch) or name an interpreter with --python`,
  };
}

/** A free TCP port on the loopback interface (for one torchrun job's rendezvous). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * `python3 -m torch.distributed.run` arguments for one machine and `processes` workers. Not
 * `--standalone`: that pins the rendezvous to port 29400, so two jobs on one machine (tests in
 * parallel, two users) collide; each job gets its own free port instead. `--redirects 1 --tee 1`:
 * Debian's torch 1.13 with Python 3.11 fails before the script under the default log settings.
 */
export function torchrunArgs(processes: number, port: number): string[] {
  return [
    '-m',
    'torch.distributed.run',
    '--nnodes=1',
    `--nproc_per_node=${processes}`,
    '--rdzv_backend=c10d',
    `--rdzv_endpoint=127.0.0.1:${port}`,
    '--redirects',
    '1',
    '--tee',
    '1',
  ];
}
