import { trainingObjective } from '../../../src/schema/rules/training-objective.js';
import { ruleTester } from '../rule-tester.js';

const towers = `model:
  levels:
    - pools: [{ name: bottom, units: [8] }]
  towers:
    - { name: ctr, input: bottom }
    - { name: cvr, input: bottom }
`;

ruleTester(trainingObjective, {
  valid: [
    'tasks:\n  - { name: ctr, label: click }\n',
    `${towers}tasks:\n  - { name: ctr, label: click, weight: 0 }\n  - { name: cvr, label: conversion }\n`,
    {
      name: 'ESMM: the product carries the label',
      yaml: `${towers}tasks:\n  - { name: ctr, weight: 0 }\n  - { name: cvr }\n  - { name: ctcvr, label: conversion, product: [ctr, cvr] }\n`,
    },
  ],
  invalid: [
    {
      yaml: 'tasks:\n  - { name: ctr, label: click, weight: 0 }\n',
      errors: [{ code: 'no-objective', line: 2, column: 40 }],
    },
    {
      name: 'no task has a label',
      yaml: `${towers}tasks:\n  - { name: ctr }\n  - { name: cvr }\n`,
      errors: [{ code: 'no-objective', line: 8, column: 3, message: '(no task has a label)' }],
    },
  ],
});
