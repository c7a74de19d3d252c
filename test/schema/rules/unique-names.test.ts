import { uniqueNames } from '../../../src/schema/rules/unique-names.js';
import { ruleTester } from '../rule-tester.js';

ruleTester(uniqueNames, {
  valid: [
    'features:\n  - { name: user_age, type: numeric }\n  - { name: item_price, type: numeric }\nfeatureGroups:\n  user: [user_age, item_price]\n',
    { name: 'a feature and a group may share a name', yaml: 'featureGroups:\n  user_age: [user_age]\n' },
  ],
  invalid: [
    {
      yaml: 'features:\n  - { name: user_age, type: numeric }\n  - { name: user_age, type: numeric }\n',
      errors: [
        {
          code: 'duplicate-name',
          line: 3,
          column: 13,
          message: 'feature name "user_age" is already used by a feature',
        },
      ],
    },
    {
      name: 'a group and a pool share one namespace',
      yaml: 'featureGroups:\n  bottom: [user_age]\nmodel:\n  levels:\n    - pools: [{ name: bottom, units: [8] }]\n  towers:\n    - { name: ctr, input: bottom }\n',
      errors: [
        { code: 'duplicate-name', line: 5, column: 23, message: 'pool name "bottom" is already used by a group' },
      ],
    },
    {
      name: 'tasks among tasks',
      yaml: 'tasks:\n  - { name: ctr, label: click }\n  - { name: ctr, label: conversion }\n',
      errors: [{ code: 'duplicate-name', line: 3, column: 13 }],
    },
  ],
});
