import { generatorParams } from '../../../src/schema/rules/generator-params.js';
import { ruleTester } from '../rule-tester.js';

ruleTester(generatorParams, {
  valid: [
    'data: { source: synthetic, generator: ecom, params: { users: 10, clickRate: 0.3 } }\n',
    'data: { source: synthetic, generator: mmoe-synthetic, params: { d: 4, m: 0 } }\nfeatures:\n  - { name: x0, type: numeric }\nfeatureGroups:\n  user: [x0]\ntasks:\n  - { name: ctr, type: regression, label: y1 }\n',
  ],
  invalid: [
    {
      name: 'an unknown param (did you mean) and one out of range',
      yaml: 'data:\n  source: synthetic\n  params: { userz: 10, items: 0, factors: 2.5 }\n',
      errors: [
        {
          code: 'generator-params',
          line: 3,
          column: 13,
          message: 'the ecom generator has no param "userz". Did you mean "users"?',
        },
        {
          code: 'generator-params',
          line: 3,
          column: 31,
          message: 'data.params.items must be an integer >= 1 (number of items); got 0.',
        },
        { code: 'generator-params', line: 3, column: 43, message: 'must be an integer >= 1 and <= 256' },
      ],
    },
    {
      name: 'a param of the other generator',
      yaml: 'data: { source: synthetic, generator: mmoe-synthetic, params: { users: 3 } }\nfeatures:\n  - { name: x0, type: numeric }\nfeatureGroups:\n  user: [x0]\ntasks:\n  - { name: ctr, type: regression, label: y1 }\n',
      errors: [{ code: 'generator-params', line: 1, column: 65, message: 'Its params: d, c, m, noise.' }],
    },
  ],
});
