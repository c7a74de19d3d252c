// Every place the CLI writes goes through this module, which enforces one rule: an output never
// destroys what mmoe-compile did not write.
//
// - A folder output (build and train models, checkpoints) is written only where the path is
//   absent, an empty folder, or a folder this tool wrote: one holding the marker file
//   `.mmoe-compile-output` (JSON naming the tool and every file it wrote) and nothing else but
//   those files. Anything else (a regular file, a symlink, a foreign or edited folder, a marker
//   that does not parse) is refused with OutputRefused before anything is touched.
// - The folder is replaced atomically: the new output is written to a temporary sibling, the old
//   one renamed aside, the new one renamed in, and only then is the old one removed, file by file
//   from its marker's list (never a recursive delete of an unknown tree). A kill -9 at any moment
//   leaves the old output or the new one whole, never a mix.
// - A single-file output (predict -o, check --summary, explain --graph) is written to a temporary
//   sibling and renamed over the target. An existing regular file is replaced only when the user
//   says so (`--force`); symlinks, folders and special files are always refused.
// - An owned folder that accumulates files (an experiment's results folder) is claimed with the
//   same marker; the files it lists, and the folders it lists with all they hold, may be
//   rewritten; a name it does not list is written only if nothing exists there yet.
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  unlinkSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';

export const OUTPUT_MARKER = '.mmoe-compile-output';
export const TOOL = 'mmoe-compile';

/** What the marker says; `kind` names the writer (model, checkpoint, experiment), for people. */
export interface OutputMarker {
  tool: typeof TOOL;
  kind: string;
  /** Paths relative to the folder, '/'-separated: every file (or owned sub-folder) the tool wrote. */
  files: string[];
}

/** A write the rule forbids: exit 2, one line naming the path and the reason. */
export class OutputRefused extends Error {
  readonly exitCode = 2;
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`refusing to write ${path}: ${reason}`);
    this.name = 'OutputRefused';
  }
}

export type ArtifactFiles = ReadonlyMap<string, string | Uint8Array>;

function lstat(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function describe(st: Stats): string {
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isFile()) return 'an existing file';
  if (st.isDirectory()) return 'a folder';
  return 'a special file (device, FIFO or socket)';
}

/** Every entry under `dir`, relative and '/'-separated; folders end in '/'. Symlinks are not followed. */
function listTree(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    const st = lstatSync(join(dir, r));
    if (st.isDirectory()) out.push(`${r}/`, ...listTree(dir, r));
    else out.push(r);
  }
  return out;
}

/** The marker of a folder, or the reason it is not a valid one. */
function readMarker(dir: string): OutputMarker | string {
  const p = join(dir, OUTPUT_MARKER);
  const st = lstat(p);
  if (!st) return `it is not empty and has no ${OUTPUT_MARKER} marker, so ${TOOL} did not write it`;
  if (!st.isFile()) return `its ${OUTPUT_MARKER} marker is not a regular file`;
  try {
    const m = JSON.parse(readFileSync(p, 'utf8')) as Partial<OutputMarker>;
    if (
      m &&
      m.tool === TOOL &&
      typeof m.kind === 'string' &&
      Array.isArray(m.files) &&
      m.files.every((f) => typeof f === 'string' && isSafeRelative(f))
    )
      return m as OutputMarker;
  } catch {
    // fall through: an unreadable marker is not ours
  }
  return `its ${OUTPUT_MARKER} marker is not one ${TOOL} writes`;
}

function isSafeRelative(f: string): boolean {
  return f !== '' && !f.startsWith('/') && !f.split('/').some((s) => s === '..' || s === '.' || s === '');
}

/** True when `entry` (from listTree) is one the marker owns: a listed file, or inside a listed folder. */
function owned(m: OutputMarker, entry: string): boolean {
  const e = entry.replace(/\/$/, '');
  return e === OUTPUT_MARKER || m.files.some((f) => e === f || e.startsWith(`${f}/`) || f.startsWith(`${e}/`));
}

// Outputs of versions before the marker: a model folder (build or train) always held
// run-record.json, a checkpoint state.json, and nothing but these names. Such a folder is taken
// as the tool's own, so existing out/ folders keep being rebuilt in place.
const LEGACY_MODEL = [
  'graph.dot',
  'graph.mmd',
  'graph.svg',
  'ir.json',
  'metrics.json',
  'model.json',
  'pipeline.json',
  'report.txt',
  'run-record.json',
  'spec.json',
  'summary.json',
  'summary.txt',
  'weights.bin',
];
const LEGACY_CHECKPOINT = ['best.bin', 'optimizer.bin', 'state.json', 'weights.bin'];

function legacyMarker(entries: readonly string[]): OutputMarker | undefined {
  for (const [kind, names, key] of [
    ['model', LEGACY_MODEL, 'run-record.json'],
    ['checkpoint', LEGACY_CHECKPOINT, 'state.json'],
  ] as const) {
    if (entries.includes(key) && entries.every((e) => (names as readonly string[]).includes(e)))
      return { tool: TOOL, kind, files: [...entries] };
  }
  return undefined;
}

function refuseIfHoldsCwd(target: string): void {
  const r = relative(target, process.cwd());
  if (r === '' || (!r.startsWith('..') && !r.startsWith(sep) && !/^[a-zA-Z]:/.test(r)))
    throw new OutputRefused(target, 'it is the current folder or one of its parents');
}

/**
 * Whether a whole-folder output may go to `target` (resolved): 'absent', 'empty' or the marker
 * of a folder the tool wrote. Throws OutputRefused otherwise.
 */
export function checkFolderTarget(target: string): 'absent' | 'empty' | OutputMarker {
  const st = lstat(target);
  if (!st) return 'absent';
  if (!st.isDirectory()) throw new OutputRefused(target, `it is ${describe(st)}, not a folder ${TOOL} wrote`);
  refuseIfHoldsCwd(target);
  const entries = listTree(target);
  if (entries.length === 0) return 'empty';
  const legacy = lstat(join(target, OUTPUT_MARKER)) ? undefined : legacyMarker(entries);
  if (legacy) return legacy;
  const m = readMarker(target);
  if (typeof m === 'string') throw new OutputRefused(target, m);
  const foreign = entries.find((e) => !owned(m, e));
  if (foreign !== undefined) throw new OutputRefused(target, `it holds ${foreign}, which ${TOOL} did not write`);
  return m;
}

/** Remove exactly what a marker lists (files, then the folders they leave empty); never more. */
function removeOwned(dir: string, m: OutputMarker | 'empty'): void {
  try {
    if (m !== 'empty') {
      for (const e of listTree(dir).reverse()) {
        // children before their folders; anything not owned stays (its folder then stays too)
        if (!owned(m, e)) continue;
        const p = join(dir, e);
        if (e.endsWith('/')) rmdirSync(p);
        else unlinkSync(p);
      }
    }
    rmdirSync(dir);
  } catch (e) {
    // a file appeared in the old output after the check: it is kept in the renamed-aside folder
    if ((e as NodeJS.ErrnoException).code !== 'ENOTEMPTY') throw e;
  }
}

/** An errno error from a temporary sibling is reported at the path the user named. */
function at(path: string, e: unknown): unknown {
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string' && typeof err.syscall === 'string') {
    err.path = path;
    delete (err as { dest?: string }).dest;
  }
  return e;
}

const stamp = () => `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

/**
 * Write `files` as the whole content of the folder `outDir`, atomically, with the marker; refuses
 * (OutputRefused) a target that is not absent, empty or the tool's own output.
 */
export function writeFolderAtomic(outDir: string, files: ArtifactFiles, kind: string): void {
  const target = resolve(outDir);
  for (const rel of files.keys())
    if (!isSafeRelative(rel) || rel === OUTPUT_MARKER)
      throw new Error(`internal: bad artifact name ${JSON.stringify(rel)}`);
  checkFolderTarget(target);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const tmp = join(parent, `.${basename(target)}.tmp-${stamp()}`);
  const old = join(parent, `.${basename(target)}.old-${stamp()}`);
  const names = [...files.keys()].sort();
  try {
    mkdirSync(tmp);
    for (const rel of names) {
      const p = join(tmp, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, files.get(rel)!);
    }
    const marker: OutputMarker = { tool: TOOL, kind, files: names };
    writeFileSync(join(tmp, OUTPUT_MARKER), JSON.stringify(marker, null, 2) + '\n');
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true }); // our own temporary folder
    throw at(outDir, e);
  }
  // checked again right before the swap: the folder may have changed while the files were written
  let before: ReturnType<typeof checkFolderTarget>;
  try {
    before = checkFolderTarget(target);
    if (before !== 'absent') renameSync(target, old);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw at(outDir, e);
  }
  try {
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (before !== 'absent') renameSync(old, target);
    throw at(outDir, e);
  }
  if (before !== 'absent') removeOwned(old, before);
}

/**
 * Write one file atomically (temporary sibling, then rename). An existing regular file is
 * replaced only with `replace`; a symlink, folder or special file is always refused.
 */
export function writeFileSafe(path: string, content: string | Uint8Array, opts: { replace?: boolean } = {}): void {
  const target = resolve(path);
  checkFileTarget(path, opts);
  const tmp = join(dirname(target), `.${basename(target)}.tmp-${stamp()}`);
  try {
    writeFileSync(tmp, content, { flag: 'wx' });
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw at(path, e);
  }
}

/** Throws OutputRefused unless `path` is absent, or (with `replace`) a regular file. */
export function checkFileTarget(path: string, opts: { replace?: boolean } = {}): void {
  const st = lstat(resolve(path));
  if (st && !(st.isFile() && !st.isSymbolicLink())) throw new OutputRefused(path, `it is ${describe(st)}`);
  if (st && !opts.replace) throw new OutputRefused(path, 'the file exists (pass --force to replace it)');
}

/** Append to a file that is absent or a regular file (GitHub's $GITHUB_STEP_SUMMARY); never through a symlink. */
export function appendFileSafe(path: string, content: string): void {
  const st = lstat(resolve(path));
  if (st && !(st.isFile() && !st.isSymbolicLink())) throw new OutputRefused(path, `it is ${describe(st)}`);
  writeFileSync(path, content, { flag: 'a' });
}

/**
 * Claim a folder that accumulates outputs (an experiment's results): create it if absent, and
 * return a writer for the top-level names listed in `names` (files, or folders ending in '/').
 * A name may be (re)written when nothing exists there yet or when the folder's marker lists it;
 * the marker is updated before anything is written, so it lists everything the tool may leave.
 */
export function claimOwnedFolder(
  dir: string,
  kind: string,
): { write: (name: string, content: string | Uint8Array) => void; folder: (name: string) => string } {
  const target = resolve(dir);
  const st = lstat(target);
  if (st && !st.isDirectory()) throw new OutputRefused(dir, `it is ${describe(st)}, not a folder`);
  mkdirSync(target, { recursive: true });
  const current = lstat(join(target, OUTPUT_MARKER)) ? readMarker(target) : undefined;
  if (typeof current === 'string') throw new OutputRefused(dir, current);
  const marker: OutputMarker = current ?? { tool: TOOL, kind, files: [] };
  const claim = (name: string, isDir: boolean) => {
    if (!isSafeRelative(name) || name.includes('/'))
      throw new Error(`internal: bad output name ${JSON.stringify(name)}`);
    const p = join(target, name);
    if (marker.files.includes(name)) {
      const s = lstat(p);
      if (s && (s.isSymbolicLink() || s.isDirectory() !== isDir)) throw new OutputRefused(p, `it is ${describe(s)}`);
      return p;
    }
    const s = lstat(p);
    if (s) throw new OutputRefused(p, `it exists and ${TOOL} did not write it`);
    marker.files = [...marker.files, name].sort();
    writeFileSafe(join(target, OUTPUT_MARKER), JSON.stringify(marker, null, 2) + '\n', { replace: true });
    return p;
  };
  return {
    write: (name, content) => writeFileSafe(claim(name, false), content, { replace: true }),
    folder: (name) => {
      const p = claim(name, true);
      mkdirSync(p, { recursive: true });
      return p;
    },
  };
}
