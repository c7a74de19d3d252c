import { labelExpression } from '../../../src/schema/rules/label-expression.js';
import { ruleTester } from '../rule-tester.js';

const esmm = `model:
  levels:
    - pools: [{ name: bottom, units: [8] }]
  towers:
    - { name: ctr, input: bottom }
    - { name: cvr, input: bottom }
`;

ruleTester(labelExpression, {
  valid: [
    'tasks:\n  - { name: ctr, labelFrom: { column: user_city, in: [c1, c2] } }\n',
    'tasks:\n  - { name: ctr, labelFrom: { column: user_age, greaterThan: 40 } }\n',
    'tasks:\n  - { name: ctr, labelFrom: { all: [click, conversion] } }\n',
    'tasks:\n  - { name: ctr, labelFrom: { any: [click, { column: user_age, atMost: 20 }] } }\n',
    'tasks:\n  - { name: ctr, labelFrom: { not: click } }\n',
    'tasks:\n  - { name: ctr, label: click, sampleWeight: user_age }\n',
    'tasks:\n  - { name: ctr, label: click }\ntraining: { sampleWeight: user_age }\n',
    {
      name: 'ESMM factor with an evaluation label and sample space',
      yaml: `${esmm}tasks:\n  - { name: ctr, label: click }\n  - { name: cvr, evaluation: { label: conversion, sampleSpace: { column: click } } }\n  - { name: ctcvr, label: conversion, product: [ctr, cvr] }\n`,
    },
    {
      name: 'evaluation label derived from columns',
      yaml: `${esmm}tasks:\n  - { name: ctr, label: click }\n  - { name: cvr, evaluation: { labelFrom: { all: [click, conversion] } } }\n  - { name: ctcvr, label: conversion, product: [ctr, cvr] }\n`,
    },
  ],
  invalid: [
    {
      name: 'label and labelFrom together',
      yaml: 'tasks:\n  - { name: ctr, label: click, labelFrom: { not: click } }\n',
      errors: [{ code: 'label-expression', line: 2, column: 32, message: 'both label and labelFrom' }],
    },
    {
      name: 'labelFrom on a regression task',
      yaml: 'tasks:\n  - { name: ctr, type: regression, labelFrom: { not: click } }\n',
      errors: [{ code: 'label-expression', line: 2, column: 36, message: 'is a regression' }],
    },
    {
      name: 'positive beside labelFrom',
      yaml: 'tasks:\n  - { name: ctr, labelFrom: { not: click }, positive: yes }\n',
      errors: [{ code: 'label-expression', line: 2, column: 45, message: 'so positive (for label:)' }],
    },
    {
      name: 'a condition without a column',
      yaml: 'tasks:\n  - { name: ctr, labelFrom: { in: [a] } }\n',
      errors: [{ code: 'label-expression', line: 2, column: 29, message: 'has no column' }],
    },
    {
      name: 'a condition with two comparisons',
      yaml: 'tasks:\n  - { name: ctr, labelFrom: { column: user_age, greaterThan: 40, lessThan: 60 } }\n',
      errors: [{ code: 'label-expression', line: 2, column: 66, message: 'with 2 operators (greaterThan, lessThan)' }],
    },
    {
      name: 'a condition with no comparison',
      yaml: 'tasks:\n  - { name: ctr, labelFrom: { column: user_age } }\n',
      errors: [{ code: 'label-expression', line: 2, column: 39, message: 'says nothing about column user_age' }],
    },
    {
      name: 'a combinator with a column beside it',
      yaml: 'tasks:\n  - { name: ctr, labelFrom: { all: [click, conversion], column: user_age } }\n',
      errors: [{ code: 'label-expression', line: 2, column: 57, message: 'combines conditions with all, column' }],
    },
    {
      name: 'two combinators',
      yaml: 'tasks:\n  - { name: ctr, labelFrom: { all: [click, conversion], not: click } }\n',
      errors: [{ code: 'label-expression', line: 2, column: 57, message: 'combines conditions with all, not' }],
    },
    {
      name: 'an empty expression',
      yaml: 'tasks:\n  - { name: ctr, labelFrom: {} }\n',
      errors: [{ code: 'label-expression', line: 2, column: 29, message: 'is empty' }],
    },
    {
      name: 'an operand of all with two comparisons, located in the list',
      yaml: 'tasks:\n  - name: ctr\n    labelFrom:\n      all:\n        - click\n        - { column: user_age, atLeast: 18, atMost: 30 }\n',
      errors: [{ code: 'label-expression', line: 6, column: 44, message: 'operand all/1 compares user_age' }],
    },
    {
      name: 'evaluation on a task with a label',
      yaml: 'tasks:\n  - { name: ctr, label: click, evaluation: { label: conversion } }\n',
      errors: [{ code: 'label-expression', line: 2, column: 32, message: 'has a label, so it is evaluated on it' }],
    },
    {
      name: 'evaluation with neither label nor labelFrom',
      yaml: `${esmm}tasks:\n  - { name: ctr, label: click }\n  - { name: cvr, evaluation: { sampleSpace: { column: click } } }\n  - { name: ctcvr, label: conversion, product: [ctr, cvr] }\n`,
      errors: [{ code: 'label-expression', line: 9, column: 18, message: 'needs exactly one of label, labelFrom' }],
    },
    {
      name: 'evaluation with both label and labelFrom',
      yaml: `${esmm}tasks:\n  - { name: ctr, label: click }\n  - { name: cvr, evaluation: { label: conversion, labelFrom: { not: click } } }\n  - { name: ctcvr, label: conversion, product: [ctr, cvr] }\n`,
      errors: [{ code: 'label-expression', line: 9, column: 51, message: 'needs exactly one of label, labelFrom' }],
    },
    {
      name: 'a sample weight on a task with nothing to weight',
      yaml: `${esmm}tasks:\n  - { name: ctr, label: click }\n  - { name: cvr, sampleWeight: user_age }\n  - { name: ctcvr, label: conversion, product: [ctr, cvr] }\n`,
      errors: [{ code: 'label-expression', line: 9, column: 32, severity: 'warning', message: 'weights nothing' }],
    },
    {
      name: 'weighted by a column the label reads',
      yaml: 'tasks:\n  - { name: ctr, labelFrom: { column: user_age, atLeast: 30 }, sampleWeight: user_age }\n',
      errors: [{ code: 'label-expression', line: 2, column: 78, message: 'which its label reads' }],
    },
    {
      name: 'training.sampleWeight is the label column',
      yaml: 'training: { sampleWeight: click }\n',
      errors: [{ code: 'label-expression', line: 1, column: 27, message: 'weights its rows by column "click"' }],
    },
  ],
});
