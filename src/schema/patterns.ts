// The two string patterns of the spec schema, in a module of their own so that diagnostics can
// tell them apart without loading TypeBox (the precompiled validator does not need it).

/** Identifiers (features, groups, pools, gates, towers, tasks, ...): they become tfjs layer names
 * and JSON keys, and reach every output format, so only letters, digits and `_`. */
export const NAME_PATTERN = '^(?!constructor$|prototype$)[A-Za-z][A-Za-z0-9_]*$';

/** Strings that name data (columns, labels, category and scenario values) need not be identifiers
 * (a CSV header is what the file says), but they are printed in reports, graphs and pull-request
 * comments: no control characters (line breaks among them), Unicode line or paragraph separators,
 * or bidirectional overrides. Outputs escape them as well (src/util/escape.ts). */
export const TEXT_PATTERN = '^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]*$';
