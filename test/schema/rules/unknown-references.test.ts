import { unknownReferences } from '../../../src/schema/rules/unknown-references.js';
import { ruleTester } from '../rule-tester.js';

ruleTester(unknownReferences, {
  valid: ['training:\n  earlyStopping: { task: ctr }\n'],
  invalid: [
    {
      name: 'a group lists an undefined feature',
      yaml: 'featureGroups:\n  user: [user_agee]\n',
      errors: [{ code: 'unknown-reference', line: 2, column: 10, message: 'Did you mean "user_age"?' }],
    },
    {
      name: 'a tower reads an undefined gate, a task names an undefined tower',
      yaml: 'model:\n  levels:\n    - pools: [{ name: bottom, units: [8] }]\n  towers:\n    - { name: ctr, input: botom }\ntasks:\n  - { name: cvr, label: click, tower: ctrr }\n',
      errors: [
        { code: 'unknown-reference', line: 5, column: 27, message: 'Did you mean "bottom"?' },
        { code: 'unknown-reference', line: 7, column: 39, message: 'Did you mean "ctr"?' },
      ],
    },
    {
      name: 'early stopping watches an undefined task',
      yaml: 'training:\n  earlyStopping: { task: crt }\n',
      errors: [{ code: 'unknown-reference', line: 2, column: 26 }],
    },
  ],
});
