import { embeddingL2 } from '../../../src/schema/rules/embedding-l2.js';
import { ruleTester } from '../rule-tester.js';

const features = `features:
  - { name: user_age, type: numeric, boundaries: [20, 40] }
  - { name: user_id, type: categorical, hashBuckets: 100, encoding: hash }
  - { name: item_id, type: categorical, sharedEmbedding: ids, encoding: hash, hashBuckets: 100 }
  - { name: last_item, type: categorical, sharedEmbedding: ids, encoding: hash, hashBuckets: 100 }
featureGroups:
  user: [user_age, user_id, item_id, last_item]
`;

ruleTester(embeddingL2, {
  valid: [
    `${features}training:\n  embeddingL2: { user_id: 0.0001, ids: 0.001, user_age: 0 }\n`,
    'training:\n  learningRate: 0.01\n',
  ],
  invalid: [
    {
      name: 'a misspelt table',
      yaml: `${features}training:\n  embeddingL2: { user_idd: 0.0001 }\n`,
      errors: [{ code: 'embedding-l2', line: 9, column: 18, message: 'Did you mean "user_id" or "user_age"?' }],
    },
    {
      name: 'a feature that shares a table is not its name',
      yaml: `${features}training:\n  embeddingL2: { item_id: 0.0001 }\n`,
      errors: [{ code: 'embedding-l2', line: 9, column: 18, message: 'user_age, user_id, ids' }],
    },
    {
      name: 'a numeric feature without boundaries has no table',
      yaml: 'training:\n  embeddingL2: { user_age: 0.1 }\n',
      errors: [{ code: 'embedding-l2', line: 2, column: 18, message: '(none: the spec has no embedded feature)' }],
    },
  ],
});
