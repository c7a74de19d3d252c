// The specs that used to pass `validate` and then fail in `train` (issue 12): each is now a
// located diagnostic from `validate` (the three of the issue, and two
// more of the same class found while closing it), and `train` refuses it with the same diagnostic before
// touching data or tfjs.
import { relative, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, SAMPLES_DIR } from './helpers.js';

const run = runCli;

const spec = (name: string) => relative(process.cwd(), join(SAMPLES_DIR, name, 'spec.yaml'));

const cases = [
  {
    sample: 'rule-shared-embedding-min-count',
    line: `:7:13: error shared-embedding: features "user_history" and "item_category" share the embedding "category" but differ in minCount: 2 vs 1.`,
  },
  {
    sample: 'rule-early-stopping-metric',
    line: `:17:39: error early-stopping: early stopping watches mse on task "ctr", but the task computes only auc, logloss, accuracy.`,
  },
  {
    sample: 'rule-bucketized-numeric',
    line: `:6:55: error bucketized-numeric: feature "item_price" is bucketised by boundaries (in raw units) and also sets normalization: log,`,
  },
  {
    sample: 'rule-no-objective',
    line: `:16:40: error no-objective: no task has both a label and a weight above 0, so training has no loss to minimise.`,
  },
  {
    sample: 'rule-generator-params',
    line: `:6:13: error generator-params: the ecom generator has no param "userz". Did you mean "users"?`,
  },
];

describe('validate reports what train relies on', () => {
  for (const c of cases) {
    it(`${c.sample}: validate exits 1 with the located diagnostic`, async () => {
      const r = await run('validate', spec(c.sample));
      expect(r.code).toBe(1);
      expect(r.out).toContain(spec(c.sample) + c.line);
      expect(r.out).not.toMatch(/internal error|\n\s+at /);
    });

    it(`${c.sample}: train refuses it with the same diagnostic`, async () => {
      const r = await run(
        'train',
        spec(c.sample),
        '--no-progress',
        '--backend',
        'cpu',
        '-o',
        join(SAMPLES_DIR, '..', 'never-written'),
      );
      expect(r.code).toBe(1);
      expect(r.err).toContain(spec(c.sample) + c.line);
    });
  }

  it('the same specs with the problem removed validate', async () => {
    const ok = await run(
      'validate',
      spec('rule-shared-embedding-min-count'),
      '--set',
      'features.item_category.minCount=2',
    );
    expect(ok.code).toBe(0);
    expect(
      (await run('validate', spec('rule-early-stopping-metric'), '--set', 'training.earlyStopping.metric=logloss'))
        .code,
    ).toBe(0);
    expect(
      (await run('validate', spec('rule-early-stopping-metric'), '--set', 'tasks.ctr.metrics=[auc, mse]')).code,
    ).toBe(0);
    expect((await run('validate', spec('rule-no-objective'), '--set', 'tasks.cvr.weight=1')).code).toBe(0);
    expect(
      (
        await run(
          'validate',
          spec('rule-bucketized-numeric'),
          '--set',
          'features.item_price.normalization=none',
          '--set',
          'features.user_age.boundaries=[30]',
        )
      ).code,
    ).toBe(0);
  });
});
