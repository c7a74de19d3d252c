// `--version` prints the version in package.json (the one place it is written).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { ownVersion, packageVersions } from '../../src/util/run-record.js';

const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };

describe('version', () => {
  it('--version prints package.json version', async () => {
    const out: string[] = [];
    const code = await main(['--version'], { out: (s) => void out.push(s), err: () => {} });
    expect(code).toBe(0);
    expect(out).toEqual([pkg.version]);
    expect(ownVersion()).toBe(pkg.version);
    expect(packageVersions()['mmoe-compile']).toBe(pkg.version);
  });
});
