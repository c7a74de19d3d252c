import { sharedEmbedding } from '../../../src/schema/rules/shared-embedding.js';
import { ruleTester } from '../rule-tester.js';

const groups = 'featureGroups:\n  all: [a, b]\n';

ruleTester(sharedEmbedding, {
  valid: [
    `features:
  - { name: a, type: sequence, sharedEmbedding: t, minCount: 2 }
  - { name: b, type: categorical, sharedEmbedding: t, minCount: 2 }
${groups}`,
    {
      name: 'settings another encoding would use are not compared',
      yaml: `features:
  - { name: a, type: categorical, encoding: hash, hashBuckets: 10, sharedEmbedding: t, minCount: 3 }
  - { name: b, type: categorical, encoding: hash, hashBuckets: 10, sharedEmbedding: t }
${groups}`,
    },
    {
      name: 'minCount does not apply to a fixed vocabulary',
      yaml: `features:
  - { name: a, type: categorical, vocabulary: [x, y], sharedEmbedding: t, minCount: 3 }
  - { name: b, type: categorical, vocabulary: [x, y], sharedEmbedding: t }
${groups}`,
    },
    `features:
  - { name: a, type: categorical, embeddingDim: 4 }
  - { name: b, type: categorical, embeddingDim: 8 }
${groups}`,
  ],
  invalid: [
    {
      name: 'minCount differs (the default 1 on the second feature)',
      yaml: `features:
  - { name: a, type: sequence, sharedEmbedding: t, minCount: 2 }
  - { name: b, type: categorical, sharedEmbedding: t }
${groups}`,
      errors: [{ code: 'shared-embedding', line: 3, column: 13, message: 'differ in minCount: 2 vs 1' }],
    },
    {
      name: 'width and topK differ: one error each, at the written setting',
      yaml: `features:
  - { name: a, type: categorical, sharedEmbedding: t, embeddingDim: 4, topK: 5 }
  - { name: b, type: categorical, sharedEmbedding: t, embeddingDim: 8, topK: 6 }
${groups}`,
      errors: [
        { code: 'shared-embedding', line: 3, column: 69, message: 'differ in embeddingDim: 4 vs 8' },
        { code: 'shared-embedding', line: 3, column: 78, message: 'differ in topK: 5 vs 6' },
      ],
    },
    {
      name: 'encoding and hash buckets',
      yaml: `features:
  - { name: a, type: categorical, encoding: hash, hashBuckets: 10, sharedEmbedding: t }
  - { name: b, type: categorical, encoding: hash, hashBuckets: 20, sharedEmbedding: t }
  - { name: c, type: categorical, sharedEmbedding: t }
featureGroups:
  all: [a, b, c]
`,
      errors: [
        { code: 'shared-embedding', line: 3, column: 64, message: 'differ in hashBuckets: 10 vs 20' },
        { code: 'shared-embedding', line: 4, column: 13, message: 'differ in encoding: hash vs vocabulary' },
        { code: 'shared-embedding', line: 4, column: 13, message: 'differ in hashBuckets: 10 vs unset' },
      ],
    },
    {
      name: 'oovBuckets of a vocabulary',
      yaml: `features:
  - { name: a, type: categorical, sharedEmbedding: t }
  - { name: b, type: categorical, sharedEmbedding: t, oovBuckets: 2 }
${groups}`,
      errors: [{ code: 'shared-embedding', line: 3, column: 67 }],
    },
  ],
});
