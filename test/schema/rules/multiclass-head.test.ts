import { earlyStopping } from '../../../src/schema/rules/early-stopping.js';
import { multiclassHead } from '../../../src/schema/rules/multiclass-head.js';
import { ruleTester } from '../rule-tester.js';

const towers =
  'model:\n  levels:\n    - pools: [{ name: bottom, units: [8] }]\n  towers:\n    - { name: ctr, input: bottom }\n    - { name: cat, input: bottom }\n';

ruleTester(multiclassHead, {
  valid: [
    `${towers}tasks:\n  - { name: ctr, label: click }\n  - { name: cat, type: multiclass, label: item_category, classes: [a, b, c, d], topK: 2 }\n`,
    `${towers}tasks:\n  - { name: ctr, label: click }\n  - { name: cat, type: multiclass, label: item_category, classes: [1, 2], metrics: [accuracy, macro_auc, logloss] }\n`,
  ],
  invalid: [
    {
      name: 'no classes; a binary loss; a regression metric; positive',
      yaml: `${towers}tasks:\n  - { name: ctr, label: click }\n  - { name: cat, type: multiclass, label: item_category, loss: mse, metrics: [accuracy, mse], positive: a }\n`,
      errors: [
        { code: 'multiclass-head', line: 9, column: 24, message: 'declares no classes' },
        { code: 'multiclass-head', line: 9, column: 64, message: 'its loss is mse' },
        { code: 'multiclass-head', line: 9, column: 89, message: 'mse is not a multi-class metric' },
        { code: 'multiclass-head', line: 9, column: 95, severity: 'warning', message: 'positive' },
      ],
    },
    {
      name: 'a class listed twice; the default top-3 over 3 classes',
      yaml: `${towers}tasks:\n  - { name: ctr, label: click }\n  - { name: cat, type: multiclass, label: item_category, classes: [a, b, a] }\n`,
      errors: [
        {
          code: 'multiclass-head',
          line: 9,
          column: 67,
          message: 'top_k_accuracy with k = 3 (the default) is always 1',
        },
        { code: 'multiclass-head', line: 9, column: 74, message: 'lists class "a" twice' },
      ],
    },
    {
      name: 'topK at the class count',
      yaml: `${towers}tasks:\n  - { name: ctr, label: click }\n  - { name: cat, type: multiclass, label: item_category, classes: [a, b, c], topK: 3 }\n`,
      errors: [{ code: 'multiclass-head', line: 9, column: 84, message: 'Set topK below 3' }],
    },
    {
      name: 'an ESMM product of a multi-class task, and a multi-class product',
      yaml: `${towers}tasks:\n  - { name: ctr, label: click }\n  - { name: cat, type: multiclass, label: item_category, classes: [a, b, c, d] }\n  - { name: both, label: conversion, product: [ctr, cat] }\n  - { name: mix, type: multiclass, label: item_category, classes: [a, b, c, d], product: [ctr, cvr] }\n`,
      errors: [
        { code: 'multiclass-head', line: 10, column: 53, message: 'multiplies "cat", a multiclass task' },
        { code: 'multiclass-head', line: 11, column: 81, message: 'is multiclass and a product of tasks' },
      ],
    },
    {
      name: 'multi-class keys, loss and metrics on a binary task',
      yaml: 'tasks:\n  - { name: ctr, label: click, classes: [a, b], topK: 1, loss: categorical_crossentropy, metrics: [auc, top_k_accuracy] }\n',
      errors: [
        { code: 'multiclass-head', line: 2, column: 32, message: 'classes is for multiclass tasks' },
        { code: 'multiclass-head', line: 2, column: 49, message: 'topK is for multiclass tasks' },
        { code: 'multiclass-head', line: 2, column: 64, message: 'categorical_crossentropy, a multi-class loss' },
        { code: 'multiclass-head', line: 2, column: 105, message: 'top_k_accuracy is a metric for multiclass tasks' },
      ],
    },
    {
      name: 'a multi-class head on a per-scenario tower',
      yaml: 'scenarios: { feature: scene, values: [home, search] }\nmodel:\n  towers:\n    - { name: ctr, input: bottom, perScenario: true }\ntasks:\n  - { name: ctr, type: multiclass, label: item_category, classes: [a, b, c, d] }\n',
      errors: [{ code: 'multiclass-head', line: 6, column: 24, message: 'per-scenario' }],
    },
    {
      name: 'a multi-class head on a star tower, and the scenario auxiliary network',
      yaml: 'scenarios: { feature: scene, values: [home, search] }\nmodel:\n  towers:\n    - { name: ctr, input: bottom, star: true }\n  scenarioAuxiliary: { units: [4] }\ntasks:\n  - { name: ctr, type: multiclass, label: item_category, classes: [a, b, c, d] }\n',
      errors: [
        { code: 'multiclass-head', line: 7, column: 24, message: 'is a star tower' },
        { code: 'multiclass-head', line: 7, column: 24, message: 'scenario auxiliary network' },
      ],
    },
  ],
});

ruleTester(earlyStopping, {
  valid: [
    'tasks:\n  - { name: ctr, type: multiclass, label: item_category, classes: [a, b, c, d] }\ntraining: { earlyStopping: { task: ctr, metric: macro_auc } }\n',
  ],
  invalid: [
    {
      name: 'early stopping on the default auc of a multi-class task',
      yaml: 'tasks:\n  - { name: ctr, type: multiclass, label: item_category, classes: [a, b, c, d] }\ntraining: { earlyStopping: { task: ctr } }\n',
      errors: [
        { code: 'early-stopping', line: 3, column: 36, message: 'a multiclass task; auc is not a multi-class metric' },
      ],
    },
    {
      name: 'early stopping on a multi-class metric the task does not compute',
      yaml: 'tasks:\n  - { name: ctr, type: multiclass, label: item_category, classes: [a, b, c, d], metrics: [accuracy] }\ntraining: { earlyStopping: { task: ctr, metric: macro_auc } }\n',
      errors: [{ code: 'early-stopping', line: 3, column: 49, message: 'computes only accuracy' }],
    },
  ],
});
