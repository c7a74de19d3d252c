import { taskWeighting } from '../../../src/schema/rules/task-weighting.js';
import { ruleTester } from '../rule-tester.js';

const twoTasks = `model:
  levels:
    - pools: [{ name: bottom, units: [8] }]
  towers:
    - { name: ctr, input: bottom }
    - { name: cvr, input: bottom }
tasks:
  - { name: ctr, label: click }
  - { name: cvr, label: conversion }
`;

ruleTester(taskWeighting, {
  valid: [
    `${twoTasks}training:\n  taskWeighting: { method: uncertainty }\n`,
    `${twoTasks}training:\n  taskWeighting: { method: dwa, temperature: 1 }\n`,
    'training:\n  taskWeighting: { method: fixed }\n',
    // a derived label contributes a loss like a label column
    `${twoTasks.replace('label: conversion', 'labelFrom: { column: conversion, equals: 1 }')}training:\n  taskWeighting: { method: uncertainty }\n`,
  ],
  invalid: [
    {
      name: 'a learned weighting with one task',
      yaml: 'training:\n  taskWeighting: { method: dwa }\n',
      errors: [{ code: 'task-weighting', line: 2, column: 28, severity: 'warning', message: 'only 1 task' }],
    },
    {
      name: 'a weight-0 task does not count',
      yaml: `${twoTasks.replace('label: conversion', 'label: conversion, weight: 0')}training:\n  taskWeighting: { method: uncertainty }\n`,
      errors: [{ code: 'task-weighting', line: 11, column: 28, severity: 'warning' }],
    },
    {
      name: 'a temperature with uncertainty',
      yaml: `${twoTasks}training:\n  taskWeighting: { method: uncertainty, temperature: 3 }\n`,
      errors: [
        {
          code: 'task-weighting',
          line: 11,
          column: 41,
          severity: 'warning',
          message: 'temperature is used by method dwa only',
        },
      ],
    },
  ],
});
