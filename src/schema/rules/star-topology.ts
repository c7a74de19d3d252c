// STAR (star towers and the scenario auxiliary network) is driven by the scenario feature: it
// needs declared scenarios; a tower is either per scenario (separate towers) or star (shared ×
// scenario weights), not both; and the auxiliary network reads feature groups only.
import { didYouMean } from '../../util/diagnostics.js';
import { pointer } from '../source.js';
import type { RuleContext } from './context.js';

export function starTopology(ctx: RuleContext): void {
  const { spec } = ctx;
  const code = 'star-topology';
  const hint = 'Declare them: scenarios: { feature: <a categorical feature>, values: [...] }.';
  spec.model.towers.forEach((t, ti) => {
    if (!t.star) return;
    const path = pointer(pointer('/model/towers', ti), 'star');
    if (!spec.scenarios)
      ctx.report({
        code,
        path,
        message: `tower "${t.name}" uses STAR weights (star: true), but the spec declares no scenarios. ${hint}`,
      });
    if (t.perScenario)
      ctx.report({
        code,
        path,
        message: `tower "${t.name}" is both per scenario and star; a star tower already has weights per scenario. Remove perScenario or star.`,
        related: [{ path: pointer(pointer('/model/towers', ti), 'perScenario'), message: 'perScenario set here' }],
      });
  });
  const aux = spec.model.scenarioAuxiliary;
  if (!aux) return;
  if (!spec.scenarios)
    ctx.report({
      code,
      path: '/model/scenarioAuxiliary',
      atKey: true,
      message: `the scenario auxiliary network reads the scenario embedding, but the spec declares no scenarios. ${hint}`,
    });
  const groups = Object.keys(spec.featureGroups);
  (aux.inputs ?? []).forEach((n, i) => {
    if (Object.hasOwn(spec.featureGroups, n)) return;
    ctx.report({
      code,
      path: pointer('/model/scenarioAuxiliary/inputs', i),
      message: `the scenario auxiliary network reads "${n}", which is not a feature group.${didYouMean(n, groups)}`,
    });
  });
}
