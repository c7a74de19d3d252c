// Scenario values must be declared. `scenarios:` declares the scenario feature and its values;
// a task's `scenarios` may use only those values; scenario-aware gates, per-scenario towers and
// per-task scenarios need the section at all. The scenario feature must be categorical (its
// values select towers and an embedding), and when it has a fixed vocabulary every declared
// scenario value must be in it, or that scenario would only ever see the out-of-vocabulary id.
import { didYouMean } from '../../util/diagnostics.js';
import { pointer } from '../source.js';
import type { RuleContext } from './context.js';

export function undeclaredScenario(ctx: RuleContext): void {
  const { spec, symbols } = ctx;
  const sc = spec.scenarios;
  const code = 'undeclared-scenario';

  if (!sc) {
    const hint = 'Declare them: scenarios: { feature: <a categorical feature>, values: [...] }.';
    spec.model.levels.forEach((lv, li) =>
      (lv.gates ?? []).forEach((g, gi) => {
        if (g.scenarioAware)
          ctx.report({
            code,
            path: pointer(pointer(pointer(pointer('/model/levels', li), 'gates'), gi), 'scenarioAware'),
            message: `gate "${g.name}" is scenario-aware, but the spec declares no scenarios. ${hint}`,
          });
      }),
    );
    spec.model.towers.forEach((t, ti) => {
      if (t.perScenario)
        ctx.report({
          code,
          path: pointer(pointer('/model/towers', ti), 'perScenario'),
          message: `tower "${t.name}" is per scenario, but the spec declares no scenarios. ${hint}`,
        });
    });
    spec.tasks.forEach((t, ti) => {
      if (t.scenarios)
        ctx.report({
          code,
          path: pointer(pointer('/tasks', ti), 'scenarios'),
          message: `task "${t.name}" is restricted to scenarios, but the spec declares none. ${hint}`,
        });
    });
    return;
  }

  const declared = sc.values;
  const seen = new Map<string, number>();
  declared.forEach((v, i) => {
    const first = seen.get(v);
    if (first === undefined) seen.set(v, i);
    else
      ctx.report({
        code: 'duplicate-scenario',
        path: pointer('/scenarios/values', i),
        message: `scenario value "${v}" is declared twice. Remove one.`,
        related: [{ path: pointer('/scenarios/values', first), message: `"${v}" first declared here` }],
      });
  });

  const declaredSet = new Set(declared);
  spec.tasks.forEach((t, ti) =>
    t.scenarios?.forEach((v, i) => {
      if (declaredSet.has(v)) return;
      ctx.report({
        code,
        path: pointer(pointer(pointer('/tasks', ti), 'scenarios'), i),
        message: `task "${t.name}" trains on scenario "${v}", which scenarios.values does not declare (${declared.join(', ')}).${didYouMean(v, declared)}`,
        related: [{ path: '/scenarios/values', message: 'declared scenario values' }],
      });
    }),
  );

  const feature = symbols.features.get(sc.feature);
  if (!feature) return; // unknown-references reports it
  if (feature.def.type !== 'categorical') {
    ctx.report({
      code: 'scenario-feature',
      path: '/scenarios/feature',
      message: `the scenario feature "${sc.feature}" is ${feature.def.type}; scenarios are the values of a categorical feature. Use a categorical feature (e.g. type: categorical, vocabulary: [${declared.join(', ')}]).`,
      related: [{ path: pointer(feature.path, 'type'), message: `"${sc.feature}" is defined here` }],
    });
    return;
  }
  const vocab = feature.def.encoding === 'vocabulary' ? feature.def.vocabulary : undefined;
  if (!vocab) return;
  const vocabSet = new Set(vocab);
  declared.forEach((v, i) => {
    if (vocabSet.has(v)) return;
    ctx.report({
      code,
      path: pointer('/scenarios/values', i),
      message: `scenario "${v}" is not in the vocabulary of the scenario feature "${sc.feature}" (${vocab.join(', ')}), so no row could be in it.${didYouMean(v, vocab)}`,
      related: [{ path: pointer(feature.path, 'vocabulary'), message: `vocabulary of "${sc.feature}"` }],
    });
  });
}
