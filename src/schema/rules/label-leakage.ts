// A label must not also be an input: a feature that reads a task's label column lets the model
// see the answer, so training looks perfect and serving (where the label is unknown) fails.
// A derived label (`labelFrom`) leaks through every column it reads (a label "education in
// {...}" leaks through a feature on education), and so does an ESMM factor's evaluation label.
// Only labels count; a sampleSpace column (click, for cvr) is an ordinary input elsewhere.
import { pointer } from '../source.js';
import { evaluationLabelColumns, trainingLabelColumns } from '../task-labels.js';
import type { RuleContext } from './context.js';

export function labelLeakage(ctx: RuleContext): void {
  const labels = new Map<string, { task: string; path: string; derived: boolean }[]>();
  ctx.spec.tasks.forEach((t, i) => {
    const tp = pointer('/tasks', i);
    for (const c of [...trainingLabelColumns(t), ...evaluationLabelColumns(t)]) {
      const list = labels.get(c.column) ?? [];
      list.push({ task: t.name, path: tp + c.path, derived: c.path !== '/label' });
      labels.set(c.column, list);
    }
  });
  ctx.spec.features.forEach((f, i) => {
    const column = f.column ?? f.name;
    const tasks = labels.get(column);
    if (!tasks) return;
    const fp = pointer('/features', i);
    const names = [...new Set(tasks.map((t) => `"${t.task}"`))].join(' and ');
    const what = tasks.every((t) => !t.derived) ? 'the label' : 'read by the label';
    ctx.report({
      code: 'label-leakage',
      path: pointer(fp, f.column !== undefined ? 'column' : 'name'),
      message: `feature "${f.name}" reads column "${column}", ${what} of task ${names}: the model would see the answer it has to predict. Remove the feature (or read another column).`,
      related: tasks.map((t) => ({
        path: t.path,
        message: t.derived ? `read by the label of task "${t.task}"` : `label of task "${t.task}"`,
      })),
    });
  });
}
