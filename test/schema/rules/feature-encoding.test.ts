import { featureEncoding } from '../../../src/schema/rules/feature-encoding.js';
import { ruleTester } from '../rule-tester.js';

const f = (body: string) => `features:\n  - ${body}\nfeatureGroups:\n  user: [a]\n`;

ruleTester(featureEncoding, {
  valid: [
    f('{ name: a, type: categorical, encoding: hash, hashBuckets: 16 }'),
    f('{ name: a, type: categorical, encoding: identity, numIds: 10 }'),
    f('{ name: a, type: sequence, vocabulary: [x, y] }'),
    f('{ name: a, type: numeric, boundaries: [1, 2], missing: { fill: 0 } }'),
  ],
  invalid: [
    {
      yaml: f('{ name: a, type: categorical, encoding: hash }'),
      errors: [{ code: 'feature-encoding', line: 2, column: 45, severity: 'error' }],
    },
    {
      yaml: f('{ name: a, type: categorical, encoding: identity }'),
      errors: [{ code: 'feature-encoding', line: 2, column: 45, severity: 'error' }],
    },
    {
      name: 'hashBuckets with the default encoding is ignored (warning)',
      yaml: f('{ name: a, type: categorical, hashBuckets: 16 }'),
      errors: [
        { code: 'feature-encoding', line: 2, column: 35, severity: 'warning', message: 'Did you mean encoding: hash?' },
      ],
    },
    {
      name: 'both vocabulary and vocabularyFile; a value listed twice',
      yaml: f('{ name: a, type: categorical, vocabulary: [x, y, x], vocabularyFile: v.txt }'),
      errors: [
        { code: 'feature-encoding', line: 2, column: 54, severity: 'error', message: 'lists "x" twice' },
        {
          code: 'feature-encoding',
          line: 2,
          column: 58,
          severity: 'error',
          message: 'both vocabulary and vocabularyFile',
        },
      ],
    },
    {
      name: 'boundaries that do not increase',
      yaml: f('{ name: a, type: numeric, boundaries: [1, 3, 3] }'),
      errors: [{ code: 'feature-encoding', line: 2, column: 50 }],
    },
    {
      name: 'a string fill on a numeric feature',
      yaml: f('{ name: a, type: numeric, missing: { fill: zero } }'),
      errors: [{ code: 'feature-encoding', line: 2, column: 48 }],
    },
  ],
});
