import { gateWidth } from '../../../src/schema/rules/gate-width.js';
import { ruleTester } from '../rule-tester.js';

const level = (pools: string, gates: string, towers = '    - { name: ctr, input: g }\n') =>
  `model:\n  levels:\n    - pools:\n${pools}      gates:\n${gates}  towers:\n${towers}`;

ruleTester(gateWidth, {
  valid: [
    level(
      '        - { name: a, count: 2, units: [16, 8] }\n        - { name: b, units: [8] }\n',
      '        - { name: g, pools: [a, b], topK: 2 }\n',
    ),
    {
      name: 'a single-expert pool feeds a tower directly',
      yaml: 'model:\n  levels:\n    - pools: [{ name: bottom, units: [8] }]\n  towers:\n    - { name: ctr, input: bottom }\n',
    },
  ],
  invalid: [
    {
      name: 'gate-width: pools ending in 8 and 16',
      yaml: level(
        '        - { name: a, units: [8] }\n        - { name: b, units: [16] }\n',
        '        - { name: g, pools: [a, b] }\n',
      ),
      errors: [{ code: 'gate-width', line: 7, column: 33 }],
    },
    {
      name: 'gate-topk: k above the experts is an error, k equal a warning',
      yaml: level(
        '        - { name: a, count: 2, units: [8] }\n',
        '        - { name: g, pools: [a], topK: 3 }\n        - { name: h, pools: [a], topK: 2 }\n',
      ),
      errors: [
        { code: 'gate-topk', line: 6, column: 40, severity: 'error' },
        { code: 'gate-topk', line: 7, column: 40, severity: 'warning' },
      ],
    },
    {
      name: 'pool-needs-gate: a tower reads a pool of 2 experts',
      yaml: 'model:\n  levels:\n    - pools: [{ name: bottom, count: 2, units: [8] }]\n  towers:\n    - { name: ctr, input: bottom }\n',
      errors: [{ code: 'pool-needs-gate', line: 5, column: 27 }],
    },
    {
      name: 'level-inputs: a second-level pool without inputs',
      yaml: `model:
  levels:
    - pools: [{ name: a, count: 2, units: [8] }]
      gates: [{ name: g, pools: [a] }]
    - pools: [{ name: b, units: [8] }]
      gates: [{ name: h, pools: [b] }]
  towers:
    - { name: ctr, input: h }
`,
      errors: [{ code: 'level-inputs', line: 5, column: 23, message: 'Add inputs: [<a gate of level 1>] ("g")' }],
    },
  ],
});
