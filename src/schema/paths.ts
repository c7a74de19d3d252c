// Which files a spec (or an experiment file) may make the tool read. Every path a spec names
// (`extends`, `data.train`, `data.test`, `vocabularyFile`, an experiment's `specs`) goes through
// `checkNamedPath` before anything opens it: the loader, the data layer and experiments share
// this one rule. Node only (realpath, stat); nothing browser-side reads spec paths.
//
// The rule: a path is relative to the file that names it and must stay inside the root: the
// nearest folder above the spec holding `.git` (a repository; a pull request cannot add one,
// git refuses the name), else the spec's own folder; `--root DIR` replaces it. Data files (CSV,
// vocabulary) may also lie under a folder the user allowed (`--allow-read DIR`, or `allowRead`
// in mmoe-compile.config.json at the root); spec files (`extends`) never leave the root, so a
// code frame can only ever quote a file inside the project. Whatever the allowance, the target
// (after symbolic links) must be a regular file, and never one of /proc, /sys or /dev.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** The user's choices, as given on the command line (plain data: passed to experiment workers). */
export interface ReadOptions {
  /** --root DIR: the project root instead of the repository holding the spec. */
  root?: string;
  /** --allow-read DIR (repeatable): data outside the root that specs may read. */
  allowRead?: readonly string[];
  /**
   * --config FILE: read the settings (allowRead) from FILE instead of ROOT/mmoe-compile.config.json,
   * e.g. the base branch's copy when the repository under review is a pull request; `none`: no settings.
   */
  config?: string;
}

export interface ReadPolicy {
  /** The root, as shown in messages. */
  root: string;
  /** Where the root came from, for messages. */
  rootFrom: 'flag' | 'repository' | 'spec-folder';
  /** The root as written and after symbolic links (a path is checked against both spellings). */
  rootPaths: readonly string[];
  /** The folders data may also come from (flags and the project setting), both spellings. */
  allowRead: readonly string[];
}

/** What a spec names; spec files must stay inside the root, data may use the allowance. */
export type PathKind = 'spec' | 'data';

export interface PathRefusal {
  code: 'path-absolute' | 'path-outside-root' | 'path-symlink-outside-root' | 'path-not-a-file' | 'path-in-git-folder';
  message: string;
}

export const CONFIG_FILE = 'mmoe-compile.config.json';
const PSEUDO_FILESYSTEMS = ['/proc', '/sys', '/dev'];

/** A bad --root, --allow-read or setting file: a usage error (exit 2), not a spec error. */
export class ReadPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReadPolicyError';
  }
}

export function isInside(dir: string, p: string): boolean {
  const rel = relative(dir, p);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}

function real(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

/** The nearest folder at or above `dir` holding `.git` (a folder, or a file in a worktree). */
export function repositoryOf(dir: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return undefined;
  }
}

/** A folder as written and after symbolic links. */
function spellings(p: string, r: string): string[] {
  return p === r ? [p] : [p, r];
}

function realDir(p: string, what: string): string[] {
  const r = real(p);
  if (r === undefined) throw new ReadPolicyError(`${what} ${p}: no such folder`);
  if (!statSync(r).isDirectory()) throw new ReadPolicyError(`${what} ${p}: not a folder`);
  return spellings(p, r);
}

/** `allowRead` of the setting file (at the root, or --config FILE), resolved against the root. */
function settingAllowance(root: string, config: string | undefined): string[] {
  if (config === 'none') return [];
  const file = config !== undefined ? resolve(config) : join(root, CONFIG_FILE);
  if (!existsSync(file)) {
    if (config !== undefined) throw new ReadPolicyError(`--config ${config}: no such file`);
    return [];
  }
  const shown = config ?? CONFIG_FILE;
  // The file at the root belongs to the repository under review: a link to /proc/self/environ
  // must not be read, and no parse error may quote it.
  const target = real(file);
  if (
    target === undefined ||
    !statSync(target).isFile() ||
    PSEUDO_FILESYSTEMS.some((d) => isInside(d, target)) ||
    (config === undefined && !isInside(real(root) ?? root, target))
  )
    throw new ReadPolicyError(`${shown}: not a regular file${config === undefined ? ' inside the root' : ''}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(target, 'utf8'));
  } catch {
    throw new ReadPolicyError(`${shown}: not valid JSON`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ReadPolicyError(`${shown}: must be a JSON object, e.g. {"allowRead": ["../shared/data"]}`);
  for (const k of Object.keys(raw))
    if (k !== 'allowRead' && k !== '$comment')
      throw new ReadPolicyError(`${shown}: unknown setting "${k}" (known: allowRead)`);
  const list = (raw as { allowRead?: unknown }).allowRead ?? [];
  if (!Array.isArray(list) || !list.every((x) => typeof x === 'string' && x !== ''))
    throw new ReadPolicyError(`${shown}: allowRead must be a list of folder paths (relative to the root)`);
  // A folder that is not there (data not downloaded yet) allows nothing, and is no error.
  return (list as string[]).flatMap((d) => {
    const r = real(resolve(root, d));
    return r !== undefined && statSync(r).isDirectory() ? spellings(resolve(root, d), r) : [];
  });
}

/** The policy for a spec (or experiment) file at `fileAbs`. Throws ReadPolicyError for a bad flag or setting. */
export function readPolicyFor(fileAbs: string, opts: ReadOptions = {}): ReadPolicy {
  let root: string;
  let rootPaths: string[];
  let rootFrom: ReadPolicy['rootFrom'];
  if (opts.root !== undefined) {
    root = resolve(opts.root);
    rootPaths = realDir(root, '--root');
    rootFrom = 'flag';
  } else {
    const dir = dirname(fileAbs);
    const repo = repositoryOf(dir);
    rootFrom = repo ? 'repository' : 'spec-folder';
    root = repo ?? dir;
    rootPaths = spellings(root, real(root) ?? root);
  }
  const allowRead = [
    ...(opts.allowRead ?? []).flatMap((d) => realDir(resolve(d), '--allow-read')),
    ...settingAllowance(root, opts.config),
  ];
  return { root, rootFrom, rootPaths, allowRead };
}

/**
 * The root file itself (named on the command line, or found by `check` in a folder): after
 * symbolic links it must lie inside the root too, so a link committed as `configs/x.yaml`
 * cannot make `check configs/` read a file elsewhere. Returns why not, or undefined.
 */
export function checkRootFile(policy: ReadPolicy, fileAbs: string): string | undefined {
  const target = real(fileAbs);
  if (target === undefined) return undefined; // the reader reports it missing
  if (PSEUDO_FILESYSTEMS.some((d) => isInside(d, target)))
    return 'it is a system pseudo-file (under /proc, /sys or /dev), not a spec file';
  if (policy.rootPaths.some((d) => isInside(d, target))) return undefined;
  return policy.rootFrom === 'flag'
    ? `it is outside --root ${policy.root}`
    : 'it is a symbolic link out of the repository (or folder) holding it';
}

/**
 * Check a path a spec names, written as `written` in a file whose folder is `baseDir`. Returns
 * the absolute path to open, or why it is refused. A path that does not exist is returned as
 * is (the reader reports it missing); nothing of the target is read here but its type.
 */
export function checkNamedPath(
  policy: ReadPolicy,
  baseDir: string,
  written: string,
  kind: PathKind,
): { path: string } | PathRefusal {
  const allowed = kind === 'data' ? policy.allowRead : [];
  const within = (p: string) => policy.rootPaths.some((d) => isInside(d, p)) || allowed.some((d) => isInside(d, p));
  const where =
    kind === 'data' && allowed.length
      ? `the project root or a folder allowed by --allow-read / ${CONFIG_FILE}`
      : 'the project root';
  const abs = resolve(baseDir, written);
  // Where the root is, in words: an absolute path would differ per machine and say nothing to a reviewer.
  const rootShown =
    policy.rootFrom === 'flag'
      ? `--root ${policy.root}`
      : policy.rootFrom === 'repository'
        ? 'the repository holding the spec'
        : "the spec's folder: no repository above it";
  if (isAbsolute(written) || /^[A-Za-z]:[\\/]/.test(written) || written.startsWith('\\\\')) {
    // An absolute path is accepted only inside an allowance the user made: never from the spec alone.
    if (!(kind === 'data' && allowed.some((d) => isInside(d, real(abs) ?? abs))))
      return {
        code: 'path-absolute',
        message: `"${written}" is an absolute path; a spec names files relative to itself, inside ${where} (${rootShown})`,
      };
  } else if (!within(abs)) {
    return {
      code: 'path-outside-root',
      message: `"${written}" leaves ${where} (${rootShown}); ${kind === 'data' ? `allow the data folder with --allow-read DIR or "allowRead" in ${CONFIG_FILE}` : 'spec files must be inside the project'}`,
    };
  }
  const target = real(abs);
  if (target === undefined) return { path: abs };
  // .git holds the repository's configuration (and, in CI, possibly a token): never a spec's input.
  const inGit = (p: string) =>
    [...policy.rootPaths, ...allowed].some((d) => isInside(d, p) && relative(d, p).split(sep).includes('.git'));
  if (inGit(abs) || inGit(target))
    return {
      code: 'path-in-git-folder',
      message: `"${written}" is inside a .git folder: repository internals are not ${kind === 'data' ? 'data' : 'specs'}`,
    };
  if (PSEUDO_FILESYSTEMS.some((d) => isInside(d, target)))
    return {
      code: 'path-not-a-file',
      message: `"${written}" is a system pseudo-file (under /proc, /sys or /dev), not a ${kind === 'data' ? 'data' : 'spec'} file`,
    };
  if (!within(target))
    return {
      code: 'path-symlink-outside-root',
      message: `"${written}" leads through a symbolic link out of ${where} (${rootShown})`,
    };
  let st;
  try {
    st = statSync(target);
  } catch {
    return { path: abs };
  }
  if (st.isDirectory())
    return {
      code: 'path-not-a-file',
      message: `"${written}" is a folder, not a ${kind === 'data' ? 'data' : 'spec'} file`,
    };
  if (!st.isFile())
    return { code: 'path-not-a-file', message: `"${written}" is not a regular file (a device, FIFO or socket)` };
  return { path: target };
}
