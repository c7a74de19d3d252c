import { featureCross } from '../../../src/schema/rules/feature-cross.js';
import { labelLeakage } from '../../../src/schema/rules/label-leakage.js';
import { unused } from '../../../src/schema/rules/unused.js';
import { ruleTester } from '../rule-tester.js';

const parts = `  - { name: g, type: categorical, vocabulary: [m, f] }
  - { name: cat, type: categorical, encoding: hash, hashBuckets: 16 }
  - { name: age, type: numeric, boundaries: [20, 40] }
  - { name: price, type: numeric }
  - { name: hist, type: sequence }
`;

ruleTester(featureCross, {
  valid: [
    `features:\n${parts}  - { name: gxc, type: cross, of: [g, cat], hashBuckets: 64 }\nfeatureGroups:\n  all: [g, cat, gxc]\n`,
    {
      name: 'three components, one of them bucketised',
      yaml: `features:\n${parts}  - { name: gxcxa, type: cross, of: [g, cat, age], hashBuckets: 64, embeddingDim: 4 }\nfeatureGroups:\n  all: [gxcxa]\n`,
    },
  ],
  invalid: [
    {
      name: 'an unknown component, with a suggestion',
      yaml: `features:\n${parts}  - { name: gxc, type: cross, of: [g, caat], hashBuckets: 64 }\nfeatureGroups:\n  all: [gxc]\n`,
      errors: [
        { code: 'feature-cross', line: 7, column: 39, message: 'not defined as a feature. Did you mean "cat"?' },
      ],
    },
    {
      name: 'a plain numeric component',
      yaml: `features:\n${parts}  - { name: gxp, type: cross, of: [g, price], hashBuckets: 64 }\nfeatureGroups:\n  all: [gxp]\n`,
      errors: [{ code: 'feature-cross', line: 7, column: 39, message: 'a numeric (not bucketised) feature' }],
    },
    {
      name: 'a sequence component',
      yaml: `features:\n${parts}  - { name: hxg, type: cross, of: [hist, g], hashBuckets: 64 }\nfeatureGroups:\n  all: [hxg]\n`,
      errors: [{ code: 'feature-cross', line: 7, column: 36, message: 'a sequence feature' }],
    },
    {
      name: 'a cross of a cross',
      yaml: `features:\n${parts}  - { name: gxc, type: cross, of: [g, cat], hashBuckets: 64 }\n  - { name: x2, type: cross, of: [gxc, age], hashBuckets: 64 }\nfeatureGroups:\n  all: [x2]\n`,
      errors: [{ code: 'feature-cross', line: 8, column: 35, message: 'a cross feature' }],
    },
    {
      name: 'a component listed twice',
      yaml: `features:\n${parts}  - { name: gxg, type: cross, of: [g, g], hashBuckets: 64 }\nfeatureGroups:\n  all: [gxg]\n`,
      errors: [{ code: 'feature-cross', line: 7, column: 39, message: 'lists "g" twice' }],
    },
  ],
});

// A cross over a label column leaks the label like the component does: both are reported.
ruleTester(labelLeakage, {
  valid: [
    `features:\n${parts}  - { name: gxc, type: cross, of: [g, cat], hashBuckets: 64 }\nfeatureGroups:\n  all: [gxc]\n`,
  ],
  invalid: [
    {
      name: 'a cross over the label column',
      yaml: `features:\n${parts}  - { name: clicked, type: categorical, column: click }\n  - { name: gxl, type: cross, of: [g, clicked], hashBuckets: 64 }\nfeatureGroups:\n  all: [gxl]\n`,
      errors: [
        { code: 'label-leakage', line: 7, column: 49 },
        { code: 'label-leakage', line: 8, column: 39, message: 'cross "gxl" crosses "clicked"' },
      ],
    },
  ],
});

// A component read only by a grouped cross is not "in no group, so nothing reads it"; a cross
// in no group still is.
ruleTester(unused, {
  valid: [
    {
      name: 'components read through a grouped cross',
      yaml: `features:\n  - { name: g, type: categorical, vocabulary: [m, f] }\n  - { name: cat, type: categorical }\n  - { name: gxc, type: cross, of: [g, cat], hashBuckets: 64 }\nfeatureGroups:\n  user: [gxc]\n  item: [gxc]\n`,
    },
  ],
  invalid: [
    {
      name: 'a cross in no group',
      yaml: `features:\n  - { name: g, type: categorical, vocabulary: [m, f] }\n  - { name: cat, type: categorical }\n  - { name: gxc, type: cross, of: [g, cat], hashBuckets: 64 }\nfeatureGroups:\n  user: [g]\n  item: [cat]\n`,
      errors: [
        { code: 'unused', line: 4, column: 13, severity: 'warning', message: 'feature "gxc" is in no feature group' },
      ],
    },
  ],
});
