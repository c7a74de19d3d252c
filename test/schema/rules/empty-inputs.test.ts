import { emptyInputs } from '../../../src/schema/rules/empty-inputs.js';
import { ruleTester } from '../rule-tester.js';

ruleTester(emptyInputs, {
  valid: [
    'featureGroups:\n  user: [user_age]\n  extra: []\nmodel:\n  levels:\n    - pools: [{ name: bottom, units: [8], inputs: [user] }]\n  towers:\n    - { name: ctr, input: bottom }\n',
  ],
  invalid: [
    {
      name: 'empty-group: read by a pool without inputs (it reads every group)',
      yaml: 'featureGroups:\n  user: [user_age]\n  extra: []\n',
      errors: [{ code: 'empty-group', line: 3, column: 3 }],
    },
    {
      name: 'empty-pool: the only input is empty',
      yaml: 'featureGroups:\n  user: [user_age]\n  extra: []\nmodel:\n  levels:\n    - pools: [{ name: bottom, units: [8], inputs: [extra] }]\n  towers:\n    - { name: ctr, input: bottom }\n',
      errors: [
        { code: 'empty-group', line: 3, column: 3 },
        { code: 'empty-pool', line: 6, column: 51 },
      ],
    },
  ],
});
