import { starTopology } from '../../../src/schema/rules/star-topology.js';
import { ruleTester } from '../rule-tester.js';

const scene =
  'features:\n  - { name: user_age, type: numeric }\n  - { name: scene, type: categorical, vocabulary: [home, search] }\nfeatureGroups:\n  user: [user_age]\n';
const scenarios = 'scenarios: { feature: scene, values: [home, search] }\n';
const levels = 'model:\n  levels:\n    - pools: [{ name: bottom, units: [8] }]\n';

ruleTester(starTopology, {
  valid: [
    `${scene}${scenarios}${levels}  towers:\n    - { name: ctr, input: bottom, units: [4], star: true }\n  scenarioAuxiliary: { inputs: [user], units: [4] }\n`,
    `${scene}${scenarios}${levels}  towers:\n    - { name: ctr, input: bottom, perScenario: true, star: false }\n`,
  ],
  invalid: [
    {
      name: 'a star tower without scenarios',
      yaml: `${scene}${levels}  towers:\n    - { name: ctr, input: bottom, units: [4], star: true }\n`,
      errors: [{ code: 'star-topology', line: 10, column: 53, message: 'declares no scenarios' }],
    },
    {
      name: 'a tower both per scenario and star',
      yaml: `${scene}${scenarios}${levels}  towers:\n    - { name: ctr, input: bottom, perScenario: true, star: true }\n`,
      errors: [{ code: 'star-topology', line: 11, column: 60, message: 'both per scenario and star' }],
    },
    {
      name: 'the auxiliary network without scenarios, reading an unknown group',
      yaml: `${scene}${levels}  towers:\n    - { name: ctr, input: bottom }\n  scenarioAuxiliary: { inputs: [usr] }\n`,
      errors: [
        { code: 'star-topology', line: 11, column: 3, message: 'declares no scenarios' },
        { code: 'star-topology', line: 11, column: 33, message: 'Did you mean "user"?' },
      ],
    },
  ],
});
