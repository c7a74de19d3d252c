import { unused } from '../../../src/schema/rules/unused.js';
import { ruleTester } from '../rule-tester.js';

ruleTester(unused, {
  valid: [
    '{}\n',
    {
      name: 'the scenario feature needs no group',
      yaml: 'features:\n  - { name: user_age, type: numeric }\n  - { name: scene, type: categorical, vocabulary: [a, b] }\nscenarios: { feature: scene, values: [a, b] }\n',
    },
    {
      name: 'the target of attention pooling needs no group',
      yaml: 'features:\n  - { name: user_age, type: numeric }\n  - { name: h, type: sequence, sharedEmbedding: c, pooling: attention, attention: { target: cat } }\n  - { name: cat, type: categorical, sharedEmbedding: c }\nfeatureGroups:\n  user: [user_age, h]\n',
    },
    {
      name: 'a likely typo target is left to unknown-reference',
      yaml: 'features:\n  - { name: user_age, type: numeric }\n  - { name: user_city, type: categorical }\nfeatureGroups:\n  user: [user_age, user_cty]\n',
    },
  ],
  invalid: [
    {
      name: 'a feature in no group, a group nothing reads',
      yaml: 'features:\n  - { name: user_age, type: numeric }\n  - { name: user_city, type: categorical }\nfeatureGroups:\n  user: [user_age]\n  city: [user_city]\nmodel:\n  levels:\n    - pools: [{ name: bottom, units: [8], inputs: [user] }]\n  towers:\n    - { name: ctr, input: bottom }\n',
      errors: [
        {
          code: 'unused',
          line: 6,
          column: 3,
          severity: 'warning',
          message: 'feature group "city" is read by no pool or gate',
        },
      ],
    },
    {
      name: 'an attention target counts as read only when its sequence is in a group',
      yaml: 'features:\n  - { name: user_age, type: numeric }\n  - { name: h, type: sequence, sharedEmbedding: c, pooling: attention, attention: { target: cat } }\n  - { name: cat, type: categorical, sharedEmbedding: c }\nfeatureGroups:\n  user: [user_age]\n',
      errors: [
        { code: 'unused', line: 3, column: 13 },
        { code: 'unused', line: 4, column: 13 },
      ],
    },
    {
      name: 'a gate nothing reads, a tower no task uses',
      yaml: 'model:\n  levels:\n    - pools: [{ name: experts, count: 2, units: [8] }]\n      gates: [{ name: g, pools: [experts] }, { name: spare, pools: [experts] }]\n  towers:\n    - { name: ctr, input: g }\n    - { name: extra, input: g }\n',
      errors: [
        { code: 'unused', line: 4, column: 54, severity: 'warning' },
        { code: 'unused', line: 7, column: 15, severity: 'warning' },
      ],
    },
  ],
});
