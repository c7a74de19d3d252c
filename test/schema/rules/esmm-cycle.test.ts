import { esmmCycle } from '../../../src/schema/rules/esmm-cycle.js';
import { ruleTester } from '../rule-tester.js';

const towers =
  'model:\n  levels:\n    - pools: [{ name: bottom, units: [8] }]\n  towers:\n    - { name: ctr, input: bottom }\n    - { name: cvr, input: bottom }\n';

ruleTester(esmmCycle, {
  valid: [
    `${towers}tasks:\n  - { name: ctr, label: click }\n  - { name: cvr }\n  - { name: ctcvr, label: conversion, product: [ctr, cvr] }\n`,
  ],
  invalid: [
    {
      name: 'a and b multiply each other (reported where the cycle closes)',
      yaml: `${towers}tasks:\n  - { name: ctr, label: click }\n  - { name: a, product: [ctr, b] }\n  - { name: b, label: conversion, product: [ctr, a] }\n`,
      errors: [{ code: 'esmm-cycle', line: 10, column: 50, message: 'through product' }],
    },
  ],
});
