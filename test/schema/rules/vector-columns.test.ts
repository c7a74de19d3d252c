import { vectorColumnsRule } from '../../../src/schema/rules/vector-columns.js';
import { ruleTester } from '../rule-tester.js';

ruleTester(vectorColumnsRule, {
  valid: [
    'features:\n  - { name: user_age, type: numeric }\n  - { name: x, type: vector, prefix: x, count: 3 }\n',
    'features:\n  - { name: user_age, type: numeric }\n  - { name: emb, type: vector, columns: [e_a, e_b] }\n',
  ],
  invalid: [
    {
      name: 'no columns at all',
      yaml: 'features:\n  - { name: x, type: vector }\n',
      errors: [{ code: 'vector-columns', line: 2, column: 13, message: 'names no columns' }],
    },
    {
      name: 'both forms',
      yaml: 'features:\n  - { name: x, type: vector, columns: [a], prefix: x, count: 2 }\n',
      errors: [{ code: 'vector-columns', line: 2, column: 44, message: 'both columns and prefix' }],
    },
    {
      name: 'prefix without count',
      yaml: 'features:\n  - name: x\n    type: vector\n    prefix: x\n',
      errors: [{ code: 'vector-columns', line: 4, column: 5, message: 'prefix without count' }],
    },
    {
      name: 'a column that cannot name a feature',
      yaml: 'features:\n  - { name: v, type: vector, columns: [ok, "price ($)"] }\n',
      errors: [{ code: 'vector-columns', line: 2, column: 44, message: 'column "price ($)" cannot name a feature' }],
    },
    {
      name: 'a component named like another feature',
      yaml: 'features:\n  - { name: user_age, type: numeric }\n  - { name: v, type: vector, columns: [a, user_age] }\n',
      errors: [{ code: 'vector-columns', line: 3, column: 43, message: 'has the name of feature "user_age"' }],
    },
    {
      name: 'two vectors over the same columns',
      yaml: 'features:\n  - { name: user_age, type: numeric }\n  - { name: v, type: vector, prefix: p, count: 2 }\n  - { name: w, type: vector, columns: [p1] }\n',
      errors: [{ code: 'vector-columns', line: 4, column: 40, message: 'a component of vector "v"' }],
    },
  ],
});
