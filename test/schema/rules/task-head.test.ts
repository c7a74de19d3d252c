import { taskHead } from '../../../src/schema/rules/task-head.js';
import { ruleTester } from '../rule-tester.js';

const towers =
  'model:\n  levels:\n    - pools: [{ name: bottom, units: [8] }]\n  towers:\n    - { name: ctr, input: bottom }\n    - { name: cvr, input: bottom }\n';

ruleTester(taskHead, {
  valid: [
    `${towers}tasks:\n  - { name: ctr, label: click }\n  - { name: cvr, label: conversion, sampleSpace: { column: click } }\n`,
    `${towers}tasks:\n  - { name: ctr, type: regression, label: user_age, loss: huber, metrics: [mae] }\n  - { name: cvr, label: conversion }\n`,
  ],
  invalid: [
    {
      name: 'a regression with a binary loss, a binary metric and positive',
      yaml: `${towers}tasks:\n  - { name: ctr, type: regression, label: item_price, loss: binary_crossentropy, metrics: [mse, auc], positive: 1 }\n  - { name: cvr, label: conversion }\n`,
      errors: [
        { code: 'task-head', line: 8, column: 61, severity: 'error' },
        { code: 'task-head', line: 8, column: 97, severity: 'error', message: 'auc is a metric for binary tasks' },
        { code: 'task-head', line: 8, column: 103, severity: 'warning' },
      ],
    },
    {
      name: "a sample space on the task's own label",
      yaml: 'tasks:\n  - { name: ctr, label: click, sampleSpace: { column: click } }\n',
      errors: [{ code: 'task-head', line: 2, column: 55, message: 'it would learn a constant' }],
    },
    {
      name: 'no label and in no product; weight 0',
      yaml: `${towers}tasks:\n  - { name: ctr, label: click, weight: 0 }\n  - { name: cvr }\n`,
      errors: [
        { code: 'task-head', line: 8, column: 40, severity: 'warning' },
        { code: 'task-head', line: 9, column: 13, severity: 'warning', message: 'trained by nothing' },
      ],
    },
    {
      name: 'a product task with a tower, listing a factor twice',
      yaml: `${towers}tasks:\n  - { name: ctr, label: click }\n  - { name: cvr, label: conversion, product: [ctr, ctr], tower: cvr }\n`,
      errors: [
        { code: 'task-head', line: 9, column: 52, message: 'lists "ctr" twice' },
        { code: 'task-head', line: 9, column: 58, message: 'has no tower of its own' },
      ],
    },
  ],
});
