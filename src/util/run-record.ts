// What a run record says about where an output came from: the versions of the packages that
// made it and a short hash of the spec's source files. Written next to every build and training
// output (run-record.json) and into experiment records.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export function packageVersions(): Record<string, string> {
  const read = (p: string) => {
    try {
      return (JSON.parse(readFileSync(p, 'utf8')) as { version: string }).version;
    } catch {
      return 'unknown';
    }
  };
  const root = new URL('../../', import.meta.url);
  return {
    'mmoe-compile': read(new URL('package.json', root).pathname),
    '@tensorflow/tfjs': read(new URL('node_modules/@tensorflow/tfjs/package.json', root).pathname),
    '@tensorflow/tfjs-backend-wasm': read(new URL('node_modules/@tensorflow/tfjs-backend-wasm/package.json', root).pathname),
    node: process.version,
  };
}

export function specHash(sources: ReadonlyMap<string, string>): string {
  const h = createHash('sha256');
  for (const [file, text] of [...sources].sort(([a], [b]) => (a < b ? -1 : 1))) h.update(`${file}\0${text}\0`);
  return h.digest('hex').slice(0, 16);
}
