import { labelLeakage } from '../../../src/schema/rules/label-leakage.js';
import { ruleTester } from '../rule-tester.js';

ruleTester(labelLeakage, {
  valid: [
    'features:\n  - { name: user_age, type: numeric }\n',
    'features:\n  - { name: clicks, type: numeric, column: user_age }\nfeatureGroups:\n  user: [clicks]\n',
  ],
  invalid: [
    {
      name: 'a feature reads the label column through `column`',
      yaml: 'features:\n  - { name: clicked, type: numeric, column: click }\nfeatureGroups:\n  user: [clicked]\n',
      errors: [{ code: 'label-leakage', line: 2, column: 45 }],
    },
    {
      name: 'a feature named like the label',
      yaml: 'features:\n  - { name: click, type: numeric }\nfeatureGroups:\n  user: [click]\n',
      errors: [{ code: 'label-leakage', line: 2, column: 13 }],
    },
  ],
});
