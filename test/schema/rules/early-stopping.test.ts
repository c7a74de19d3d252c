import { earlyStopping } from '../../../src/schema/rules/early-stopping.js';
import { ruleTester } from '../rule-tester.js';

const twoTasks = `model:
  levels:
    - pools: [{ name: bottom, units: [8] }]
  towers:
    - { name: ctr, input: bottom }
    - { name: price, input: bottom }
tasks:
  - { name: ctr, label: click }
  - { name: price, type: regression, label: item_price }
`;

ruleTester(earlyStopping, {
  valid: [
    'training:\n  earlyStopping: { task: ctr }\n',
    'training:\n  earlyStopping: { task: ctr, metric: logloss }\n',
    {
      name: 'an ESMM factor with an evaluation label',
      yaml: 'model:\n  levels:\n    - pools: [{ name: bottom, units: [8] }]\n  towers:\n    - { name: ctr, input: bottom }\n    - { name: cvr, input: bottom }\ntasks:\n  - { name: ctr, label: click }\n  - { name: cvr, evaluation: { label: conversion, sampleSpace: { column: click } } }\n  - { name: ctcvr, label: conversion, product: [ctr, cvr] }\ntraining:\n  earlyStopping: { task: cvr }\n',
    },
    {
      name: 'a task with a derived label',
      yaml: 'tasks:\n  - { name: ctr, labelFrom: { all: [click, conversion] } }\ntraining:\n  earlyStopping: { task: ctr }\n',
    },
    {
      name: 'a metric the task lists',
      yaml: 'tasks:\n  - { name: ctr, label: click, metrics: [auc, mse] }\ntraining:\n  earlyStopping: { task: ctr, metric: mse }\n',
    },
    { name: 'mae on a regression', yaml: `${twoTasks}training:\n  earlyStopping: { task: price, metric: mae }\n` },
    { name: "an unknown task is unknown-references' to report", yaml: 'training:\n  earlyStopping: { task: nope }\n' },
  ],
  invalid: [
    {
      name: 'mse on a binary task with the default metrics',
      yaml: 'training:\n  earlyStopping: { task: ctr, metric: mse }\n',
      errors: [
        { code: 'early-stopping', line: 2, column: 39, message: 'the task computes only auc, logloss, accuracy' },
      ],
    },
    {
      name: 'a metric the task does not list',
      yaml: 'tasks:\n  - { name: ctr, label: click, metrics: [auc] }\ntraining:\n  earlyStopping: { task: ctr, metric: logloss }\n',
      errors: [{ code: 'early-stopping', line: 4, column: 39 }],
    },
    {
      name: 'the default auc on a regression points at the task',
      yaml: `${twoTasks}training:\n  earlyStopping: { task: price }\n`,
      errors: [{ code: 'early-stopping', line: 11, column: 26, message: 'auc is the default when metric is not set' }],
    },
    {
      name: 'a task without a label',
      yaml: `${twoTasks.replace('{ name: ctr, label: click }', '{ name: ctr }')}training:\n  earlyStopping: { task: ctr }\n`,
      errors: [{ code: 'early-stopping', line: 11, column: 26, message: 'which has no label' }],
    },
    {
      name: 'no validation split',
      yaml: 'training:\n  validationFraction: 0\n  earlyStopping: { task: ctr }\n',
      errors: [{ code: 'early-stopping', line: 2, column: 23 }],
    },
  ],
});
