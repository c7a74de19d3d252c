// Operating-system errors while writing exit 2 with the path and a one-line message, never 70
// "internal error". Read-only file system, full disk and permission denied are produced for real
// where this machine allows it (a private tmpfs mount via `unshare -m`, and `setpriv` to drop to
// user nobody; both need root) and run through the built CLI, bin/mmoe-compile.js.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ioErrorLine } from '../../src/cli/io-errors.js';
import { cli } from '../train/helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/mmoe-compile.js');
const work = mkdtempSync(join(tmpdir(), 'mmoe-io-errors-'));
chmodSync(work, 0o755); // readable by the unprivileged user below
afterAll(() => rmSync(work, { recursive: true, force: true }));
const spec = join(ROOT, 'configs/mmoe.yaml');

const errno = (code: string, syscall: string, path: string) =>
  Object.assign(new Error(`${code}: x`), { code, syscall, path });

describe('ioErrorLine', () => {
  it.each([
    ['EROFS', 'open', '/ro/x.md', '/ro/x.md: read-only file system (EROFS, open)'],
    ['ENOSPC', 'write', '/full/w.bin', '/full/w.bin: no space left on the device (ENOSPC, write)'],
    ['EACCES', 'mkdir', '/root/out', '/root/out: permission denied (EACCES, mkdir)'],
    ['EPERM', 'rename', '/a', '/a: operation not permitted (EPERM, rename)'],
    ['ENOTDIR', 'mkdir', '/f/sub', '/f/sub: a part of the path is not a folder (ENOTDIR, mkdir)'],
    ['EDQUOT', 'write', '/q', '/q: disk quota exceeded (EDQUOT, write)'],
  ])('%s', (code, syscall, path, line) => {
    expect(ioErrorLine(errno(code, syscall, path))).toBe(line);
  });
  it('names both paths of a failed rename, and leaves other errors alone', () => {
    expect(ioErrorLine(Object.assign(errno('EXDEV', 'rename', '/a'), { dest: '/b' }))).toBe(
      '/a -> /b: it is on another file system (EXDEV, rename)',
    );
    expect(ioErrorLine(new Error('boom'))).toBeUndefined();
    expect(ioErrorLine(Object.assign(new Error('x'), { code: 'ERR_INVALID_ARG_TYPE' }))).toBeUndefined();
  });
});

describe('through the CLI', () => {
  it('a path under a regular file: ENOTDIR, exit 2', async () => {
    const file = join(work, 'notes.txt');
    writeFileSync(file, 'mine');
    const r = await cli('build', spec, '-o', join(file, 'sub'));
    expect(r.code).toBe(2);
    expect(r.err).toEqual([`mmoe-compile: ${join(file, 'sub')}: a part of the path is not a folder (ENOTDIR, lstat)`]);
  });
});

const run = (args: string[]) => spawnSync(args[0], args.slice(1), { encoding: 'utf8' });
const canMount =
  process.getuid?.() === 0 &&
  run(['unshare', '-m', 'sh', '-c', `mount -t tmpfs -o size=64k tmpfs ${work}`]).status === 0;
const canDrop =
  process.getuid?.() === 0 &&
  // nobody must also be able to read the CLI (a checkout under a 0700 folder, e.g. `mktemp -d`, is not)
  run([
    'setpriv',
    '--reuid=65534',
    '--regid=65534',
    '--clear-groups',
    process.execPath,
    '-e',
    `require('node:fs').accessSync(${JSON.stringify(BIN)}, 4)`,
  ]).status === 0;

/** The CLI inside a private mount namespace with a tmpfs at `mnt` (after `setup` shell commands). */
function inTmpfs(mnt: string, setup: string, args: string[]) {
  mkdirSync(mnt, { recursive: true });
  const cmd = `mount -t tmpfs -o size=64k tmpfs ${mnt} && ${setup} && exec "$0" "$@"`;
  return run(['unshare', '-m', 'sh', '-c', cmd, process.execPath, BIN, ...args]);
}

describe.skipIf(!canMount)('real file-system errors (root, unshare)', () => {
  it('read-only file system: check --summary and build -o exit 2 with EROFS', () => {
    const mnt = join(work, 'ro');
    for (const [args, line] of [
      [
        ['check', spec, '--summary', join(mnt, 'report.md')],
        `mmoe-compile: ${join(mnt, 'report.md')}: read-only file system (EROFS, open)`,
      ],
      [
        ['build', spec, '-o', join(mnt, 'out'), '--backend', 'cpu'],
        `mmoe-compile: ${join(mnt, 'out')}: read-only file system (EROFS, mkdir)`,
      ],
    ] as const) {
      const r = inTmpfs(mnt, `mount -o remount,ro ${mnt}`, [...args]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n').at(-1)).toBe(line);
    }
  });
  it('full disk: check --summary exits 2 with ENOSPC', () => {
    const mnt = join(work, 'full');
    const r = inTmpfs(mnt, `(dd if=/dev/zero of=${mnt}/fill bs=1k count=1000 2>/dev/null; true)`, [
      'check',
      spec,
      '--summary',
      join(mnt, 'report.md'),
    ]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr.trim()).toBe(
      `mmoe-compile: ${join(mnt, 'report.md')}: no space left on the device (ENOSPC, write)`,
    );
  });
});

describe.skipIf(!canDrop)('permission denied (root, setpriv)', () => {
  it('check --summary into a folder the user cannot write: EACCES, exit 2', () => {
    const locked = join(work, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o755); // owned by root: nobody may not create files in it
    const r = run([
      'setpriv',
      '--reuid=65534',
      '--regid=65534',
      '--clear-groups',
      process.execPath,
      BIN,
      'check',
      spec,
      '--summary',
      join(locked, 'report.md'),
    ]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr.trim()).toBe(`mmoe-compile: ${join(locked, 'report.md')}: permission denied (EACCES, open)`);
  });
});
