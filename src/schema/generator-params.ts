// The knobs of the built-in synthetic generators (`data.params`): each with a default and a
// range. Declared here, below both the generators (src/data/synthetic-*.ts) and validate's
// generator-params rule, so that the params `validate` accepts are the params the generators
// accept.
export interface ParamRule {
  readonly default: number;
  readonly min: number;
  readonly max?: number;
  readonly integer?: boolean;
  /** For documentation and error messages. */
  readonly description: string;
}

export type ParamRules<K extends string> = Readonly<Record<K, ParamRule>>;

export const ECOM_PARAMS = {
  users: { default: 2000, min: 1, integer: true, description: 'number of users' },
  items: { default: 5000, min: 1, integer: true, description: 'number of items' },
  cities: { default: 50, min: 1, integer: true, description: 'number of cities' },
  categories: { default: 30, min: 1, integer: true, description: 'number of item categories' },
  factors: { default: 8, min: 1, max: 256, integer: true, description: 'latent factor dimension' },
  historyMax: {
    default: 10,
    min: 0,
    max: 1000,
    integer: true,
    description: 'longest user_history (lengths are uniform in 0..historyMax)',
  },
  clickRate: { default: 0.15, min: 0.001, max: 0.999, description: 'target overall click rate' },
  conversionRate: { default: 0.2, min: 0.001, max: 0.999, description: 'target conversion rate among clicked rows' },
  clickSignal: { default: 1.5, min: 0, max: 20, description: 'sd of the click logit: higher is easier to learn' },
  conversionSignal: { default: 1.5, min: 0, max: 20, description: 'sd of the conversion logit' },
  historyAffinity: {
    default: 0,
    min: 0,
    max: 20,
    description:
      'click logit gain per user_history entry in the complementary category of the shown item (0: off; for target attention)',
  },
  crossSignal: {
    default: 0,
    min: 0,
    max: 20,
    description:
      'weight of a click-logit term that only feature crosses see: age x price and gender x category parity (0: off, the data as before)',
  },
  scenarioEffect: {
    default: 0,
    min: 0,
    max: 10,
    description:
      'scale of a scene-specific effect (0: none): each scene reweights the user-item affinity and has its own price slope',
  },
} as const satisfies ParamRules<string>;

export const MMOE_SYNTHETIC_PARAMS = {
  d: { default: 100, min: 2, max: 10_000, integer: true, description: 'input dimension (columns x0..x{d-1})' },
  c: { default: 1, min: 0, description: 'scale of the task weight vectors' },
  m: { default: 10, min: 0, max: 1000, integer: true, description: 'number of sine terms (0: linear tasks)' },
  noise: {
    default: 0.01,
    min: 0,
    // The paper writes eps_k ~ N(0, 0.01); N(mu, sigma^2) notation makes 0.01 the variance (sd 0.1),
    // the reading kept as the default. Public reimplementations pass 0.01 as the standard
    // deviation: that reading is noise: 0.0001 (experiments/mmoe-paper-noise compares them).
    description:
      "variance of the label noise eps_k (default 0.01: the paper's N(0, 0.01) read as variance; a standard deviation s is noise: s^2)",
  },
} as const satisfies ParamRules<string>;

export const GENERATOR_PARAMS: Readonly<Record<'ecom' | 'mmoe-synthetic', ParamRules<string>>> = {
  ecom: ECOM_PARAMS,
  'mmoe-synthetic': MMOE_SYNTHETIC_PARAMS,
};

/** What is wrong with a value of a known param ("an integer >= 1 (number of users)"), if anything. */
export function paramProblem(rule: ParamRule, value: unknown): string | undefined {
  const bad =
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < rule.min ||
    (rule.max !== undefined && value > rule.max) ||
    (rule.integer === true && !Number.isInteger(value));
  if (!bad) return undefined;
  return `${rule.integer ? 'an integer' : 'a number'} >= ${rule.min}${rule.max === undefined ? '' : ` and <= ${rule.max}`} (${rule.description})`;
}
