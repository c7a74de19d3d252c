// Generators of hostile specs whose naive handling is quadratic in their size (issue #11,
// item 3). Shared by test/schema/hostile.test.ts (work counts, positions) and
// bench/sections/12-hostile.mjs (times against the yaml library's own parse).
// Each returns { files: { name: text }, spec: name of the file to validate }.

const lines = (n, f) => Array.from({ length: n }, (_, i) => f(i)).join('\n');

/** n aliases of one anchor in a flow list (yaml's Alias.resolve scans the document per alias). */
export function aliases(n) {
  return {
    spec: 'spec.yaml',
    files: { 'spec.yaml': `specVersion: 1\nx: &a 1\ny: [${Array(n).fill('*a').join(', ')}]\n` },
  };
}

/** One mapping of n distinct keys (yaml's uniqueKeys compares each key with every earlier one). */
export function keys(n) {
  return { spec: 'spec.yaml', files: { 'spec.yaml': `specVersion: 1\nx:\n${lines(n, (i) => `  k${i}: 1`)}\n` } };
}

/** The same key n times in one mapping. */
export function duplicateKeys(n) {
  return { spec: 'spec.yaml', files: { 'spec.yaml': `specVersion: 1\nx:\n${lines(n, () => '  k: 1')}\n` } };
}

/** A spec extending a base, both with n keys in data.columns (the merge copied locations per key). */
export function extendsMerge(n) {
  return {
    spec: 'spec.yaml',
    files: {
      'base.yaml': `specVersion: 1\ndata:\n  columns:\n${lines(n, (i) => `    b${i}: number`)}\n`,
      'spec.yaml': `specVersion: 1\nextends: base.yaml\ndata:\n  columns:\n${lines(n, (i) => `    s${i}: number`)}\n`,
    },
  };
}

/** A complete spec with n gates, n towers and n tasks (rules and lowering looked names up by scanning). */
export function towers(n) {
  return {
    spec: 'spec.yaml',
    files: {
      'spec.yaml': `specVersion: 1
data: { source: synthetic, generator: ecom }
features:
  - { name: user_age, type: numeric }
featureGroups:
  user: [user_age]
model:
  levels:
    - pools:
        - { name: p, count: 2, units: [1] }
      gates:
${lines(n, (i) => `        - {name: q${i}, pools: [p]}`)}
  towers:
${lines(n, (i) => `    - {name: t${i}, input: q${n - 1 - i}}`)}
tasks:
${lines(n, (i) => `  - {name: t${i}, label: click}`)}
training: {}
`,
    },
  };
}

export const CASES = { aliases, keys, duplicateKeys, extendsMerge, towers };
