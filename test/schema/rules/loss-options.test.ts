import { lossOptions } from '../../../src/schema/rules/loss-options.js';
import { ruleTester } from '../rule-tester.js';

const withPrice = `model:
  levels:
    - pools: [{ name: bottom, units: [8] }]
  towers:
    - { name: ctr, input: bottom }
    - { name: price, input: bottom }
`;

ruleTester(lossOptions, {
  valid: [
    'tasks:\n  - { name: ctr, label: click, focal: { gamma: 2, alpha: 0.25 } }\n',
    'tasks:\n  - { name: ctr, label: click, labelSmoothing: 0.1 }\n',
    'tasks:\n  - { name: ctr, label: click, loss: binary_crossentropy, focal: {} }\n',
    // a derived label is a label: its options are used (no "has no label" warning)
    'tasks:\n  - { name: ctr, labelFrom: { column: click, equals: 1 }, labelSmoothing: 0.1 }\n',
  ],
  invalid: [
    {
      name: 'focal on a regression task',
      yaml: `${withPrice}tasks:\n  - { name: ctr, label: click }\n  - { name: price, type: regression, label: item_price, focal: { gamma: 2 } }\n`,
      errors: [{ code: 'loss-option', line: 9, column: 57, message: 'task "price" is a regression; focal applies' }],
    },
    {
      name: 'label smoothing on a regression task',
      yaml: `${withPrice}tasks:\n  - { name: ctr, label: click }\n  - { name: price, type: regression, label: item_price, labelSmoothing: 0.1 }\n`,
      errors: [{ code: 'loss-option', line: 9, column: 57, message: 'labelSmoothing applies to binary tasks only' }],
    },
    {
      name: 'focal on a multi-class task',
      yaml: `${withPrice}tasks:\n  - { name: ctr, label: click }\n  - { name: price, type: multiclass, label: item_category, classes: [a, b, c, d], focal: { gamma: 2 } }\n`,
      errors: [
        { code: 'loss-option', line: 9, column: 83, message: 'task "price" is a multi-class task; focal applies' },
      ],
    },
    {
      name: 'focal with another loss',
      yaml: 'tasks:\n  - { name: ctr, label: click, loss: mse, focal: { gamma: 2 } }\n',
      errors: [{ code: 'loss-option', line: 2, column: 38, message: 'sets loss mse, but focal loss replaces' }],
    },
    {
      name: 'an ESMM factor without a label',
      yaml: `${withPrice}tasks:\n  - { name: ctr, label: click }\n  - { name: price, focal: { gamma: 2 } }\n  - { name: ctcvr, label: conversion, product: [ctr, price] }\n`,
      errors: [{ code: 'loss-option', line: 9, column: 20, severity: 'warning', message: 'has no label' }],
    },
  ],
});
