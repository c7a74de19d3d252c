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

// A derived label leaks through every column it reads; an ESMM factor's evaluation label too.
ruleTester(labelLeakage, {
  valid: [
    {
      name: 'a label derived from columns no feature reads',
      yaml: 'tasks:\n  - { name: ctr, labelFrom: { all: [click, { column: conversion, equals: 1 }] } }\n',
    },
  ],
  invalid: [
    {
      name: 'a feature on the column a labelFrom condition reads',
      yaml: 'features:\n  - { name: user_age, type: numeric }\ntasks:\n  - { name: ctr, labelFrom: { column: user_age, greaterThan: 40 } }\n',
      errors: [{ code: 'label-leakage', line: 2, column: 13, message: 'read by the label of task "ctr"' }],
    },
    {
      name: 'a feature on an operand of all, located at the feature, related to the operand',
      yaml: 'features:\n  - { name: user_age, type: numeric }\n  - { name: conversion, type: numeric }\nfeatureGroups:\n  user: [user_age, conversion]\ntasks:\n  - { name: ctr, labelFrom: { all: [click, conversion] } }\n',
      errors: [{ code: 'label-leakage', line: 3, column: 13 }],
    },
    {
      name: 'a feature on the evaluation label of an ESMM factor',
      yaml: 'features:\n  - { name: user_age, type: numeric }\n  - { name: conversion, type: numeric }\nfeatureGroups:\n  user: [user_age, conversion]\nmodel:\n  levels:\n    - pools: [{ name: bottom, units: [8] }]\n  towers:\n    - { name: ctr, input: bottom }\n    - { name: cvr, input: bottom }\ntasks:\n  - { name: ctr, label: click }\n  - { name: cvr, evaluation: { label: conversion } }\n  - { name: ctcvr, label: click, product: [ctr, cvr] }\n',
      errors: [{ code: 'label-leakage', line: 3, column: 13 }],
    },
  ],
});
