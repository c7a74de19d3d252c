// Derived labels, evaluation labels and sample weights must say one thing each.
//   labelFrom: not beside label; binary tasks only; positive / negative belong to label:. A
//   condition has a column and exactly one comparison; an expression is a condition or exactly
//   one of all / any / not (whose operands are conditions or 0/1 label columns).
//   evaluation: only on a task without a training label (an ESMM factor); exactly one of label,
//   labelFrom; binary tasks only.
//   sampleWeight: weights nothing on a task with neither label (warning); must not be a column
//   the label reads.
import type { ConditionSpec, LabelFromSpec } from '../label-spec.js';
import { pointer } from '../source.js';
import {
  COMBINATORS,
  CONDITION_OPERATORS,
  hasTrainingLabel,
  operandsOf,
  sampleWeightOf,
  trainingLabelColumns,
} from '../task-labels.js';
import type { RuleContext } from './context.js';

const code = 'label-expression';

function checkCondition(ctx: RuleContext, c: ConditionSpec, path: string, where: string): void {
  const ops = CONDITION_OPERATORS.filter((k) => c[k] !== undefined);
  if (c.column === undefined) {
    ctx.report({ code, path, message: `${where} has no column. A condition reads one column: add column:.` });
    return;
  }
  if (ops.length > 1)
    ctx.report({
      code,
      path: pointer(path, ops[1]),
      atKey: true,
      message: `${where} compares ${c.column} with ${ops.length} operators (${ops.join(', ')}). Use exactly one of in, equals, greaterThan, atLeast, lessThan, atMost.`,
    });
  else if (ops.length === 0)
    ctx.report({
      code,
      path: pointer(path, 'column'),
      message: `${where} says nothing about column ${c.column}. Add one of in, equals, greaterThan, atLeast, lessThan, atMost.`,
    });
}

function checkExpression(ctx: RuleContext, e: LabelFromSpec, path: string, where: string): void {
  const combinators = COMBINATORS.filter((k) => e[k] !== undefined);
  if (combinators.length === 0) {
    if (e.column === undefined && CONDITION_OPERATORS.every((k) => e[k] === undefined)) {
      ctx.report({
        code,
        path,
        message: `${where} is empty. Write a condition (column + in / equals / greaterThan / atLeast / lessThan / atMost) or all / any / not.`,
      });
      return;
    }
    checkCondition(ctx, e, path, where);
    return;
  }
  const beside = [
    ...(e.column !== undefined ? ['column'] : []),
    ...CONDITION_OPERATORS.filter((k) => e[k] !== undefined),
  ];
  if (combinators.length > 1 || beside.length > 0) {
    const all = [...combinators, ...beside];
    ctx.report({
      code,
      path: pointer(path, combinators.length > 1 ? combinators[1] : beside[0]),
      atKey: true,
      message: `${where} combines conditions with ${all.join(', ')}. Use one of all, any, not, without column or a comparison beside it.`,
    });
    return;
  }
  for (const { operand, path: op } of operandsOf(e, path)) {
    if (typeof operand !== 'string') checkCondition(ctx, operand, op, `${where}, operand ${op.slice(path.length + 1)}`);
  }
}

export function labelExpression(ctx: RuleContext): void {
  const { spec } = ctx;
  spec.tasks.forEach((t, i) => {
    const tp = pointer('/tasks', i);
    const at = (k: string) => pointer(tp, k);
    if (t.labelFrom) {
      if (t.label !== undefined)
        ctx.report({
          code,
          path: at('labelFrom'),
          atKey: true,
          message: `task "${t.name}" has both label and labelFrom. Keep one: label reads a column, labelFrom derives the label from columns.`,
        });
      if (t.type === 'regression')
        ctx.report({
          code,
          path: at('labelFrom'),
          atKey: true,
          message: `task "${t.name}" is a regression; labelFrom derives a binary label. Make the task binary, or use label.`,
        });
      for (const key of ['positive', 'negative'] as const) {
        if (t[key] !== undefined && t.label === undefined)
          ctx.report({
            code,
            path: at(key),
            atKey: true,
            message: `task "${t.name}" derives its label with labelFrom, so ${key} (for label:) does not apply. Remove ${key}, or write the values into labelFrom.`,
          });
      }
      checkExpression(ctx, t.labelFrom, at('labelFrom'), `the labelFrom of task "${t.name}"`);
    }
    const ev = t.evaluation;
    if (ev) {
      const ep = at('evaluation');
      if (hasTrainingLabel(t))
        ctx.report({
          code,
          path: ep,
          atKey: true,
          message: `task "${t.name}" has a label, so it is evaluated on it; evaluation is for tasks without one (an ESMM factor such as cvr). Remove evaluation.`,
        });
      if ((ev.label === undefined) === (ev.labelFrom === undefined))
        ctx.report({
          code,
          path: ev.label !== undefined ? pointer(ep, 'labelFrom') : ep,
          atKey: true,
          message: `the evaluation of task "${t.name}" needs exactly one of label, labelFrom.`,
        });
      if (ev.labelFrom) {
        for (const key of ['positive', 'negative'] as const) {
          if (ev[key] !== undefined && ev.label === undefined)
            ctx.report({
              code,
              path: pointer(ep, key),
              atKey: true,
              message: `the evaluation of task "${t.name}" derives its label with labelFrom, so ${key} (for label:) does not apply. Remove ${key}.`,
            });
        }
        checkExpression(ctx, ev.labelFrom, pointer(ep, 'labelFrom'), `the evaluation labelFrom of task "${t.name}"`);
      }
      if (t.type === 'regression')
        ctx.report({
          code,
          path: ep,
          atKey: true,
          message: `task "${t.name}" is a regression; evaluation gives a binary evaluation label. Make the task binary, or remove evaluation.`,
        });
    }
    const weight = sampleWeightOf(t, spec.training);
    if (t.sampleWeight !== undefined && !hasTrainingLabel(t) && !ev)
      ctx.report({
        code,
        path: at('sampleWeight'),
        severity: 'warning',
        message: `task "${t.name}" has no label and no evaluation label, so its sampleWeight weights nothing and is ignored.`,
      });
    if (weight !== undefined && trainingLabelColumns(t).some((c) => c.column === weight))
      ctx.report({
        code,
        path: t.sampleWeight !== undefined ? at('sampleWeight') : '/training/sampleWeight',
        message: `task "${t.name}" weights its rows by column "${weight}", which its label reads. Weight by another column.`,
      });
  });
}
