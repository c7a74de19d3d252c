import { targetAttention } from '../../../src/schema/rules/target-attention.js';
import { ruleTester } from '../rule-tester.js';

const groups = 'featureGroups:\n  all: [h, c]\n';

ruleTester(targetAttention, {
  valid: [
    `features:
  - { name: h, type: sequence, sharedEmbedding: cat, pooling: attention, attention: { target: c } }
  - { name: c, type: categorical, sharedEmbedding: cat }
${groups}`,
    {
      name: 'the target need not be in a group',
      yaml: `features:
  - { name: h, type: sequence, sharedEmbedding: cat, pooling: attention, attention: { target: c, units: [8], softmax: true } }
  - { name: c, type: categorical, sharedEmbedding: cat }
featureGroups:
  all: [h]
`,
    },
    {
      name: 'other poolings without attention settings',
      yaml: `features:
  - { name: h, type: sequence, sharedEmbedding: cat, pooling: max }
  - { name: c, type: categorical, sharedEmbedding: cat }
${groups}`,
    },
  ],
  invalid: [
    {
      name: 'pooling attention without settings',
      yaml: `features:
  - { name: h, type: sequence, sharedEmbedding: cat, pooling: attention }
  - { name: c, type: categorical, sharedEmbedding: cat }
${groups}`,
      errors: [{ code: 'target-attention', line: 2, column: 63, message: 'no attention settings' }],
    },
    {
      name: 'unknown target, with a suggestion',
      yaml: `features:
  - { name: h, type: sequence, sharedEmbedding: cat, pooling: attention, attention: { target: item_catgory } }
  - { name: item_category, type: categorical, sharedEmbedding: cat }
featureGroups:
  all: [h, item_category]
`,
      errors: [{ code: 'target-attention', line: 2, column: 95, message: 'Did you mean "item_category"?' }],
    },
    {
      name: 'the target is a sequence (not one id per row)',
      yaml: `features:
  - { name: h, type: sequence, sharedEmbedding: cat, pooling: attention, attention: { target: c } }
  - { name: c, type: sequence, sharedEmbedding: cat }
${groups}`,
      errors: [{ code: 'target-attention', line: 2, column: 95, message: 'a sequence feature' }],
    },
    {
      name: 'the target is numeric',
      yaml: `features:
  - { name: h, type: sequence, sharedEmbedding: cat, pooling: attention, attention: { target: c } }
  - { name: c, type: numeric, boundaries: [1, 2] }
${groups}`,
      errors: [{ code: 'target-attention', line: 2, column: 95, message: 'a bucketised numeric feature' }],
    },
    {
      name: 'no shared table: the sequence has none',
      yaml: `features:
  - { name: h, type: sequence, pooling: attention, attention: { target: c } }
  - { name: c, type: categorical, sharedEmbedding: cat }
${groups}`,
      errors: [{ code: 'target-attention', line: 2, column: 73, message: 'do not share an embedding table' }],
    },
    {
      name: 'no shared table: different tables',
      yaml: `features:
  - { name: h, type: sequence, sharedEmbedding: a, pooling: attention, attention: { target: c } }
  - { name: c, type: categorical, sharedEmbedding: b }
${groups}`,
      errors: [{ code: 'target-attention', line: 2, column: 93 }],
    },
    {
      name: 'attention settings under mean pooling: a warning at the key',
      yaml: `features:
  - { name: h, type: sequence, sharedEmbedding: cat, attention: { target: c } }
  - { name: c, type: categorical, sharedEmbedding: cat }
${groups}`,
      errors: [{ code: 'target-attention', line: 2, column: 54, severity: 'warning', message: 'pooling mean' }],
    },
  ],
});
