// The `data.params` record of a synthetic generator: each generator declares its knobs with a
// default and a range; unknown names and out-of-range values are errors (a typo in a knob
// would otherwise silently leave the default in place).
import { paramProblem, type ParamRules } from '../schema/generator-params.js';
import { DataError } from './errors.js';

export type { ParamRule, ParamRules } from '../schema/generator-params.js';

/** The defaults overridden by `params`, checked against `rules`. */
export function resolveParams<K extends string>(
  generator: string,
  rules: ParamRules<K>,
  params: Readonly<Record<string, number>> | undefined,
): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const key of Object.keys(rules) as K[]) out[key] = rules[key].default;
  for (const [key, value] of Object.entries(params ?? {})) {
    if (!Object.hasOwn(rules, key)) {
      throw new DataError(`${generator}: unknown param "${key}"; known params: ${Object.keys(rules).join(', ')}`);
    }
    // validate reports both at the spec line (generator-params); kept for data built in code
    const problem = paramProblem(rules[key as K], value);
    if (problem) throw new DataError(`${generator}: param "${key}" must be ${problem}, got ${value}`);
    out[key as K] = value;
  }
  return out;
}

/** Checks the options every generator shares. */
export function checkCommonOptions(generator: string, rows: number, correlation: number): void {
  if (!Number.isInteger(rows) || rows < 0)
    throw new DataError(`${generator}: rows must be a non-negative integer, got ${rows}`);
  if (!(correlation >= -1 && correlation <= 1))
    throw new DataError(`${generator}: correlation must be in [-1, 1], got ${correlation}`);
}
