// What a run record says about the code that made it: the git commit of the mmoe-compile
// checkout and whether it had uncommitted changes. A record made from a dirty tree or another
// commit is not expected to be bit-identical to a rerun (docs/reproducibility.md). Read through
// `git` with a short timeout; no git, not a repository, a slow git, or a folder that is not the
// top of its repository (an installed package inside someone else's repository): null.
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface GitState {
  /** `git rev-parse HEAD`, or null when unknown. */
  commit: string | null;
  /** `git status --porcelain` is not empty (untracked files count), or null when unknown. */
  dirty: boolean | null;
}

const GIT_TIMEOUT_MS = 3000;
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

function git(args: string[], cwd: string): string | null {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      timeout: GIT_TIMEOUT_MS,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return null;
  }
}

/** The git state of `dir` (default: the mmoe-compile checkout this code runs from). */
export function gitState(dir: string = PROJECT_ROOT): GitState {
  const unknown = { commit: null, dirty: null };
  const [top, head] = (git(['rev-parse', '--show-toplevel', 'HEAD'], dir) ?? '').trim().split('\n');
  if (!head || !/^[0-9a-f]{40,64}$/.test(head)) return unknown;
  try {
    if (realpathSync(top) !== realpathSync(dir)) return unknown;
  } catch {
    return unknown;
  }
  const status = git(['status', '--porcelain'], dir);
  return { commit: head, dirty: status === null ? null : status.trim() !== '' };
}
