import { bucketizedNumeric } from '../../../src/schema/rules/bucketized-numeric.js';
import { ruleTester } from '../rule-tester.js';

ruleTester(bucketizedNumeric, {
  valid: [
    'features:\n  - { name: user_age, type: numeric, boundaries: [20, 40] }\n',
    'features:\n  - { name: user_age, type: numeric, boundaries: [20, 40], normalization: none, embeddingDim: 4 }\n',
    'features:\n  - { name: user_age, type: numeric, normalization: log }\n',
  ],
  invalid: [
    {
      yaml: 'features:\n  - { name: user_age, type: numeric, normalization: log, boundaries: [20, 40] }\n',
      errors: [{ code: 'bucketized-numeric', line: 2, column: 53, severity: 'error', message: 'normalization: log' }],
    },
    {
      name: 'an explicit standard is not applied either',
      yaml: 'features:\n  - name: user_age\n    type: numeric\n    boundaries: [20, 40]\n    normalization: standard\n',
      errors: [{ code: 'bucketized-numeric', line: 5, column: 20, severity: 'error' }],
    },
    {
      name: 'embeddingDim without boundaries is ignored',
      yaml: 'features:\n  - { name: user_age, type: numeric, embeddingDim: 4 }\n',
      errors: [{ code: 'bucketized-numeric', line: 2, column: 38, severity: 'warning' }],
    },
  ],
});
