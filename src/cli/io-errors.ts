// Operating-system errors (errno codes) turned into the CLI's one-line I/O error, exit 2: the
// path and what went wrong, never "internal error" (exit 70) for a full disk or a read-only folder.

const MESSAGES: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the file system',
  EIO: 'input/output error',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  EEXIST: 'it already exists',
  ENOTEMPTY: 'the folder is not empty',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EBUSY: 'the resource is busy',
  EXDEV: 'it is on another file system',
  ETXTBSY: 'the file is busy',
};

/** `path: message (CODE)` for an errno error of the file system, or undefined for anything else. */
export function ioErrorLine(e: unknown): string | undefined {
  const err = e as NodeJS.ErrnoException | undefined;
  const code = err?.code;
  if (typeof code !== 'string' || !(code in MESSAGES)) return undefined;
  if (typeof err?.syscall !== 'string' && typeof err?.path !== 'string') return undefined;
  const where = typeof err.path === 'string' ? err.path : '(unknown path)';
  const d = (err as unknown as { dest?: unknown }).dest;
  const dest = typeof d === 'string' ? ` -> ${d}` : '';
  return `${where}${dest}: ${MESSAGES[code]} (${code}${err.syscall ? `, ${err.syscall}` : ''})`;
}
