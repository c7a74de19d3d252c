// `data.params` of a synthetic generator: every key must be a knob of that generator, with a value
// in its range (src/schema/generator-params.ts, the table the generators read). Before this rule
// a typo or an out-of-range knob passed validate and stopped `train` with an unlocated error.
import { didYouMean } from '../../util/diagnostics.js';
import { GENERATOR_PARAMS, paramProblem } from '../generator-params.js';
import { pointer } from '../source.js';
import type { RuleContext } from './context.js';

const code = 'generator-params';

export function generatorParams(ctx: RuleContext): void {
  const data = ctx.spec.data;
  if (data.source !== 'synthetic' || !data.params) return;
  const generator = data.generator ?? 'ecom';
  const rules = GENERATOR_PARAMS[generator];
  const known = Object.keys(rules);
  for (const [key, value] of Object.entries(data.params)) {
    const path = pointer('/data/params', key);
    if (!Object.hasOwn(rules, key)) {
      ctx.report({
        code,
        path,
        atKey: true,
        message: `the ${generator} generator has no param "${key}".${didYouMean(key, known) || ` Its params: ${known.join(', ')}.`}`,
      });
      continue;
    }
    const problem = paramProblem(rules[key], value);
    if (problem) ctx.report({ code, path, message: `data.params.${key} must be ${problem}; got ${value}.` });
  }
}
