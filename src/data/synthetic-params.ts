// The `data.params` record of a synthetic generator: each generator declares its knobs with a
// default and a range; unknown names and out-of-range values are errors (a typo in a knob
// would otherwise silently leave the default in place).
import { DataError } from './errors.js';

export interface ParamRule {
  readonly default: number;
  readonly min: number;
  readonly max?: number;
  readonly integer?: boolean;
  /** For documentation and error messages. */
  readonly description: string;
}

export type ParamRules<K extends string> = Readonly<Record<K, ParamRule>>;

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
    const rule = rules[key as K];
    const bad =
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      value < rule.min ||
      (rule.max !== undefined && value > rule.max) ||
      (rule.integer === true && !Number.isInteger(value));
    if (bad) {
      const range = `${rule.integer ? 'an integer' : 'a number'} >= ${rule.min}${rule.max === undefined ? '' : ` and <= ${rule.max}`}`;
      throw new DataError(`${generator}: param "${key}" must be ${range} (${rule.description}), got ${value}`);
    }
    out[key as K] = value;
  }
  return out;
}

/** Checks the options every generator shares. */
export function checkCommonOptions(generator: string, rows: number, correlation: number): void {
  if (!Number.isInteger(rows) || rows < 0) throw new DataError(`${generator}: rows must be a non-negative integer, got ${rows}`);
  if (!(correlation >= -1 && correlation <= 1)) throw new DataError(`${generator}: correlation must be in [-1, 1], got ${correlation}`);
}
