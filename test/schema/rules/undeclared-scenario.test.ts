import { undeclaredScenario } from '../../../src/schema/rules/undeclared-scenario.js';
import { ruleTester } from '../rule-tester.js';

const scene =
  'features:\n  - { name: user_age, type: numeric }\n  - { name: scene, type: categorical, vocabulary: [home, search] }\n';

ruleTester(undeclaredScenario, {
  valid: [
    `${scene}scenarios: { feature: scene, values: [home, search] }\nmodel:\n  levels:\n    - pools: [{ name: bottom, units: [8] }]\n  towers:\n    - { name: ctr, input: bottom, perScenario: true }\n`,
  ],
  invalid: [
    {
      name: 'a per-scenario tower without scenarios',
      yaml: 'model:\n  levels:\n    - pools: [{ name: bottom, units: [8] }]\n  towers:\n    - { name: ctr, input: bottom, perScenario: true }\n',
      errors: [{ code: 'undeclared-scenario', line: 5, column: 48 }],
    },
    {
      name: 'a task trains on an undeclared scenario',
      yaml: `${scene}scenarios: { feature: scene, values: [home, search] }\ntasks:\n  - { name: ctr, label: click, scenarios: [home, serch] }\n`,
      errors: [{ code: 'undeclared-scenario', line: 6, column: 50, message: 'Did you mean "search"?' }],
    },
    {
      name: 'duplicate-scenario and a value outside the vocabulary',
      yaml: `${scene}scenarios: { feature: scene, values: [home, home, detail] }\n`,
      errors: [
        { code: 'duplicate-scenario', line: 4, column: 45 },
        { code: 'undeclared-scenario', line: 4, column: 51 },
      ],
    },
    {
      name: 'scenario-feature: a numeric feature',
      yaml: 'scenarios: { feature: user_age, values: [young] }\n',
      errors: [{ code: 'scenario-feature', line: 1, column: 23 }],
    },
  ],
});
