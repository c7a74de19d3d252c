import { dataSource } from '../../../src/schema/rules/data-source.js';
import { ruleTester } from '../rule-tester.js';

ruleTester(dataSource, {
  valid: [
    '{}\n',
    'data: { source: csv, generator: null, train: t.csv, columns: { user_age: number, click: string } }\n',
    'data: { source: synthetic, generator: mmoe-synthetic, params: { d: 3 } }\nfeatures:\n  - { name: x2, type: numeric }\nfeatureGroups:\n  user: [x2]\ntasks:\n  - { name: ctr, type: regression, label: y1 }\n',
  ],
  invalid: [
    {
      name: 'csv: a numeric feature reading a declared string column',
      yaml: 'data: { source: csv, generator: null, train: t.csv, columns: { user_age: string, price: string } }\nfeatures:\n  - { name: user_age, type: numeric }\ntasks:\n  - { name: ctr, type: regression, label: price }\n',
      errors: [
        {
          code: 'data-source',
          line: 3,
          column: 29,
          severity: 'error',
          message: 'declares its column "user_age" a string',
        },
        { code: 'data-source', line: 5, column: 43, severity: 'error', message: 'declares its label "price" a string' },
      ],
    },
    {
      name: 'synthetic: a column the generator does not produce (warning), with did-you-mean',
      yaml: 'features:\n  - { name: user_ag, type: numeric }\nfeatureGroups:\n  user: [user_ag]\n',
      errors: [
        {
          code: 'data-source',
          line: 2,
          column: 13,
          severity: 'warning',
          message: 'Did you mean "user_age" or "user_id"?',
        },
      ],
    },
    {
      name: 'synthetic: a numeric feature reading a string column',
      yaml: 'features:\n  - { name: user_city, type: numeric }\nfeatureGroups:\n  user: [user_city]\n',
      errors: [{ code: 'data-source', line: 2, column: 30, severity: 'warning' }],
    },
  ],
});
