// What a run record says about where an output came from: the versions of the packages that
// made it and a short hash of the spec's source files. Written next to every build and training
// output (run-record.json) and into experiment records.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The repository (or installed package) root: two folders above src/util/ and dist/util/. */
const ROOT = new URL('../../', import.meta.url);

function versionIn(path: string): string {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** This package's own version, from its package.json (the one source of it). */
export function ownVersion(): string {
  return versionIn(new URL('package.json', ROOT).pathname);
}

export function packageVersions(): Record<string, string> {
  const read = versionIn;
  const root = ROOT;
  return {
    'mmoe-compile': ownVersion(),
    '@tensorflow/tfjs': read(new URL('node_modules/@tensorflow/tfjs/package.json', root).pathname),
    '@tensorflow/tfjs-backend-wasm': read(
      new URL('node_modules/@tensorflow/tfjs-backend-wasm/package.json', root).pathname,
    ),
    node: process.version,
  };
}

export function specHash(sources: ReadonlyMap<string, string>): string {
  const h = createHash('sha256');
  for (const [file, text] of [...sources].sort(([a], [b]) => (a < b ? -1 : 1))) h.update(`${file}\0${text}\0`);
  return h.digest('hex').slice(0, 16);
}
