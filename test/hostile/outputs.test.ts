// Hostile output targets, through the real CLI (main() in-process): every place the CLI writes
// refuses a path it did not write (exit 2, one line naming the path and the reason) and leaves
// it exactly as it was; absent paths, empty folders and its own previous outputs are written.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTPUT_MARKER } from '../../src/util/safe-output.js';
import { cli, tempDir, tinyProject } from '../train/helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const work = tempDir('mmoe-hostile-out-');
let spec = '';
let model = ''; // a trained model folder, for predict
let records = ''; // a CSV to score
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(async () => {
  const project = tinyProject({ trainRows: 200, testRows: 50, epochs: 1 });
  cpSync(project, join(work, 'project'), { recursive: true });
  rmSync(project, { recursive: true, force: true });
  spec = join(work, 'project/spec.yaml');
  records = join(work, 'project/test.csv');
  model = join(work, 'model');
  const r = await cli('train', spec, '-o', model, '--backend', 'cpu', '--no-progress');
  expect(r.code, r.err.join('\n')).toBe(0);
});

/** Everything under p (not following links), with file contents and link targets. */
function snapshot(p: string): unknown {
  let st;
  try {
    st = lstatSync(p);
  } catch {
    return null;
  }
  if (st.isSymbolicLink()) return { link: readlinkSync(p) };
  if (st.isDirectory())
    return Object.fromEntries(
      readdirSync(p)
        .sort()
        .map((n) => [n, snapshot(join(p, n))]),
    );
  if (st.isFile()) return readFileSync(p, 'utf8');
  return { special: st.mode };
}

let n = 0;
/** A fresh path in the work folder. */
const fresh = (name: string) => join(work, `${n++}-${name}`);

// Hostile targets for a folder output; each returns the path to hand to the writer.
const folderTargets: [string, (p: string) => void, RegExp][] = [
  ['an existing file', (p) => writeFileSync(p, 'thesis\n'), /it is an existing file, not a folder mmoe-compile wrote/],
  [
    'a folder of someone else',
    (p) => (mkdirSync(p), writeFileSync(join(p, 'thesis.tex'), '\\begin{document}')),
    /it is not empty and has no \.mmoe-compile-output marker/,
  ],
  [
    'a symlink to a folder',
    (p) => (mkdirSync(`${p}-real`), writeFileSync(`${p}-real/keep.txt`, 'k'), symlinkSync(`${p}-real`, p)),
    /it is a symbolic link/,
  ],
  ['a dangling symlink', (p) => symlinkSync(join(work, 'nowhere'), p), /it is a symbolic link/],
  [
    'a forged marker (not JSON)',
    (p) => (
      mkdirSync(p), writeFileSync(join(p, OUTPUT_MARKER), 'mmoe-compile'), writeFileSync(join(p, 'data.csv'), '1')
    ),
    /marker is not one mmoe-compile writes/,
  ],
  [
    'a marker of another tool',
    (p) => (
      mkdirSync(p), writeFileSync(join(p, OUTPUT_MARKER), JSON.stringify({ tool: 'other', kind: 'model', files: [] }))
    ),
    /marker is not one mmoe-compile writes/,
  ],
  [
    'a marker escaping the folder',
    (p) => (
      mkdirSync(p),
      writeFileSync(join(p, OUTPUT_MARKER), JSON.stringify({ tool: 'mmoe-compile', kind: 'model', files: ['../x'] }))
    ),
    /marker is not one mmoe-compile writes/,
  ],
  [
    'a marker that is a folder',
    (p) => (mkdirSync(p), mkdirSync(join(p, OUTPUT_MARKER))),
    /marker is not a regular file/,
  ],
  [
    'its own output with a file added by the user',
    (p) => (
      mkdirSync(p),
      writeFileSync(
        join(p, OUTPUT_MARKER),
        JSON.stringify({ tool: 'mmoe-compile', kind: 'model', files: ['model.json'] }),
      ),
      writeFileSync(join(p, 'model.json'), '{}'),
      writeFileSync(join(p, 'notes.md'), 'mine')
    ),
    /it holds notes\.md, which mmoe-compile did not write/,
  ],
];

// The folder writers: the arguments for a target path, and where the hostile thing is put.
const folderWriters: [string, (t: string) => string[], (t: string) => string][] = [
  ['build -o', (t) => ['build', spec, '-o', t, '--backend', 'cpu'], (t) => t],
  ['train -o', (t) => ['train', spec, '-o', t, '--backend', 'cpu', '--no-progress'], (t) => t],
  // the checkpoint folder <out>.checkpoint is checked too, before training starts
  ['train checkpoint', (t) => ['train', spec, '-o', t, '--backend', 'cpu', '--no-progress'], (t) => `${t}.checkpoint`],
];

describe('folder outputs refuse what the tool did not write', () => {
  for (const [writer, args, hostilePath] of folderWriters) {
    for (const [what, make, reason] of folderTargets) {
      it(`${writer}: ${what}`, async () => {
        const t = fresh('out');
        const h = hostilePath(t);
        make(h);
        const before = snapshot(h);
        const sibling = existsSync(`${h}-real`) ? snapshot(`${h}-real`) : undefined;
        const r = await cli(...args(t));
        expect(r.code).toBe(2);
        const line = r.err.find((l) => l.startsWith('mmoe-compile: refusing'));
        expect(line).toBeDefined();
        expect(line!.startsWith(`mmoe-compile: refusing to write ${h}: `)).toBe(true);
        expect(line).toMatch(reason);
        expect(r.err.filter((l) => l.startsWith('mmoe-compile:'))).toHaveLength(1);
        expect(snapshot(h)).toEqual(before);
        if (sibling !== undefined) expect(snapshot(`${h}-real`)).toEqual(sibling);
        expect(existsSync(t) && t !== h ? snapshot(t) : null).toBe(null); // nothing written
      });
    }
  }

  it('build -o . in a folder holding thesis.tex refuses and keeps the file', async () => {
    const dir = fresh('cwd');
    mkdirSync(dir);
    writeFileSync(join(dir, 'thesis.tex'), 'x');
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const r = await cli('build', spec, '-o', '.', '--backend', 'cpu');
      expect(r.code).toBe(2);
      expect(r.err).toContain(`mmoe-compile: refusing to write ${dir}: it is the current folder or one of its parents`);
    } finally {
      process.chdir(cwd);
    }
    expect(readdirSync(dir)).toEqual(['thesis.tex']);
  });

  it('a folder like an output of an older version (no marker) is replaced only if it holds nothing else', async () => {
    const legacy = fresh('legacy');
    mkdirSync(legacy);
    for (const f of ['model.json', 'weights.bin', 'run-record.json']) writeFileSync(join(legacy, f), 'old');
    expect((await cli('build', spec, '-o', legacy, '--backend', 'cpu')).code).toBe(0);
    expect(existsSync(join(legacy, OUTPUT_MARKER))).toBe(true);
    const mixed = fresh('legacy-mixed');
    mkdirSync(mixed);
    for (const f of ['model.json', 'run-record.json', 'thesis.tex']) writeFileSync(join(mixed, f), 'old');
    const r = await cli('build', spec, '-o', mixed, '--backend', 'cpu');
    expect(r.code).toBe(2);
    expect(readdirSync(mixed).sort()).toEqual(['model.json', 'run-record.json', 'thesis.tex']);
  });

  it('writes into an absent path and an empty folder, and replaces its own previous output', async () => {
    for (const t of [fresh('absent'), fresh('empty')]) {
      if (t.endsWith('empty')) mkdirSync(t);
      expect((await cli('build', spec, '-o', t, '--backend', 'cpu')).code).toBe(0);
      const first = JSON.parse(readFileSync(join(t, OUTPUT_MARKER), 'utf8')) as {
        tool: string;
        kind: string;
        files: string[];
      };
      expect(first.tool).toBe('mmoe-compile');
      expect(first.files.slice().sort()).toEqual(
        readdirSync(t)
          .filter((f) => f !== OUTPUT_MARKER)
          .sort(),
      );
      expect((await cli('build', spec, '-o', t, '--backend', 'cpu')).code).toBe(0);
    }
    // a training output over a build output (both are the tool's) is fine, and so is its checkpoint
    const t = fresh('own');
    expect((await cli('build', spec, '-o', t, '--backend', 'cpu')).code).toBe(0);
    expect((await cli('train', spec, '-o', t, '--backend', 'cpu', '--no-progress')).code).toBe(0);
    expect((await cli('train', spec, '-o', t, '--backend', 'cpu', '--no-progress', '--resume')).code).toBe(0);
    expect(JSON.parse(readFileSync(join(`${t}.checkpoint`, OUTPUT_MARKER), 'utf8')).kind).toBe('checkpoint');
  });
});

// Hostile targets for a single-file output.
const fileTargets: [string, (p: string) => void, RegExp][] = [
  [
    'an existing file (no --force)',
    (p) => writeFileSync(p, 'mine\n'),
    /the file exists \(pass --force to replace it\)/,
  ],
  [
    'a symlink to a file',
    (p) => (writeFileSync(`${p}-real`, 'mine\n'), symlinkSync(`${p}-real`, p)),
    /it is a symbolic link/,
  ],
  ['a folder', (p) => (mkdirSync(p), writeFileSync(join(p, 'keep'), 'k')), /it is a folder/],
  ['a FIFO', (p) => execFileSync('mkfifo', [p]), /it is a special file/],
];

const fileWriters: [string, (t: string) => string[]][] = [
  ['predict -o', (t) => ['predict', model, '-i', records, '-o', t, '--backend', 'cpu']],
  ['check --summary', (t) => ['check', spec, '--summary', t]],
  ['explain --graph', (t) => ['explain', spec, '--graph', t]],
];
const ext = (w: string) => (w.startsWith('explain') ? '.mmd' : w.startsWith('predict') ? '.csv' : '.md');

describe('file outputs refuse links, folders, special files, and existing files without --force', () => {
  for (const [writer, args] of fileWriters) {
    for (const [what, make, reason] of fileTargets) {
      it(`${writer}: ${what}`, async () => {
        const t = fresh('file') + ext(writer);
        make(t);
        const before = snapshot(t);
        const sibling = existsSync(`${t}-real`) ? snapshot(`${t}-real`) : undefined;
        const r = await cli(...args(t));
        expect(r.code).toBe(2);
        const line = r.err.find((l) => l.startsWith('mmoe-compile:'));
        expect(line!.startsWith(`mmoe-compile: refusing to write ${t}: `)).toBe(true);
        expect(line).toMatch(reason);
        expect(snapshot(t)).toEqual(before);
        if (sibling !== undefined) expect(snapshot(`${t}-real`)).toEqual(sibling);
      });
    }
    it(`${writer}: writes an absent file, and replaces a regular file with --force`, async () => {
      const t = fresh('file') + ext(writer);
      expect((await cli(...args(t))).code).toBe(0);
      const first = readFileSync(t, 'utf8');
      writeFileSync(t, 'mine\n');
      expect((await cli(...args(t), '--force')).code).toBe(0);
      expect(readFileSync(t, 'utf8')).toBe(first);
    });
  }

  it('--summary "$GITHUB_STEP_SUMMARY" (as the workflow passes it) appends to the existing file', async () => {
    const step = fresh('step.md');
    writeFileSync(step, 'earlier step\n');
    const saved = process.env.GITHUB_STEP_SUMMARY;
    process.env.GITHUB_STEP_SUMMARY = step;
    try {
      expect((await cli('check', spec, '--summary', step)).code).toBe(0);
    } finally {
      if (saved === undefined) delete process.env.GITHUB_STEP_SUMMARY;
      else process.env.GITHUB_STEP_SUMMARY = saved;
    }
    const text = readFileSync(step, 'utf8');
    expect(text.startsWith('earlier step\n')).toBe(true);
    expect(text.length).toBeGreaterThan('earlier step\n'.length + 100);
  });

  it('$GITHUB_STEP_SUMMARY is appended to, but never through a symlink', async () => {
    const real = fresh('real.md');
    writeFileSync(real, 'mine\n');
    const link = fresh('link.md');
    symlinkSync(real, link);
    const saved = process.env.GITHUB_STEP_SUMMARY;
    process.env.GITHUB_STEP_SUMMARY = link;
    try {
      const r = await cli('check', spec);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`mmoe-compile: refusing to write ${link}: it is a symbolic link`);
    } finally {
      if (saved === undefined) delete process.env.GITHUB_STEP_SUMMARY;
      else process.env.GITHUB_STEP_SUMMARY = saved;
    }
    expect(readFileSync(real, 'utf8')).toBe('mine\n');
  });
});

describe('experiment folders', () => {
  const experiment = (dir: string, extra = '') => {
    cpSync(join(ROOT, 'configs/paper'), join(dir, 'paper'), { recursive: true });
    writeFileSync(
      join(dir, 'experiment.yaml'),
      `name: tiny\nspecs: [paper/mmoe.yaml]\nset: { data.rows: 120, data.testRows: 60, training.epochs: 1, training.batchSize: 64 }\nseeds: [1]\noptions: { jobs: 1, executor: inline, backend: cpu${extra} }\n`,
    );
    return join(dir, 'experiment.yaml');
  };

  it('a results file the user wrote is refused and kept; the run trains nothing', async () => {
    const dir = fresh('exp');
    mkdirSync(dir);
    const file = experiment(dir);
    writeFileSync(join(dir, 'results.md'), '# my notes\n');
    const r = await cli('experiment', file, '--no-png');
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `mmoe-compile: refusing to write ${join(dir, 'results.md')}: it exists and mmoe-compile did not write it`,
    );
    expect(readFileSync(join(dir, 'results.md'), 'utf8')).toBe('# my notes\n');
  });

  it('a forged marker in the results folder is refused', async () => {
    const dir = fresh('exp');
    mkdirSync(dir);
    const file = experiment(dir);
    writeFileSync(join(dir, OUTPUT_MARKER), '{"tool": "mmoe-compile"}');
    const r = await cli('experiment', file, '--no-png');
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `mmoe-compile: refusing to write ${dir}: its ${OUTPUT_MARKER} marker is not one mmoe-compile writes`,
    );
  });

  it('a symlink where records/ goes is refused', async () => {
    const dir = fresh('exp');
    mkdirSync(dir);
    const file = experiment(dir);
    mkdirSync(join(dir, 'elsewhere'));
    symlinkSync(join(dir, 'elsewhere'), join(dir, 'records'));
    const r = await cli('experiment', file, '--no-png');
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `mmoe-compile: refusing to write ${join(dir, 'records')}: it exists and mmoe-compile did not write it`,
    );
    expect(readdirSync(join(dir, 'elsewhere'))).toEqual([]);
  });

  it('next to the user files of the folder, it writes only its own names and reruns over them', async () => {
    const dir = fresh('exp');
    mkdirSync(dir);
    const file = experiment(dir);
    writeFileSync(join(dir, 'README.md'), 'mine\n');
    expect((await cli('experiment', file, '--no-png')).code).toBe(0);
    expect((await cli('experiment', file, '--no-png', '--rerun')).code).toBe(0);
    const marker = JSON.parse(readFileSync(join(dir, OUTPUT_MARKER), 'utf8')) as { files: string[] };
    expect(marker.files).toEqual([
      'final-mse-strip.svg',
      'final-train-mse-strip.svg',
      'gate-entropy.svg',
      'logs',
      'loss-curves.svg',
      'records',
      'results.csv',
      'results.md',
    ]);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe('mine\n');
  });
});
