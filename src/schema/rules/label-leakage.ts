// A label must not also be an input: a feature that reads a task's label column lets the model
// see the answer, so training looks perfect and serving (where the label is unknown) fails.
// A derived label (`labelFrom`) leaks through every column it reads (a label "education in
// {...}" leaks through a feature on education), and so does an ESMM factor's evaluation label.
// Only labels count; a sampleSpace column (click, for cvr) is an ordinary input elsewhere.
import { pointer } from '../source.js';
import { evaluationLabelColumns, trainingLabelColumns } from '../task-labels.js';
import type { Feature } from '../spec-schema.js';
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
  const byName = new Map(ctx.spec.features.map((f) => [f.name, f]));
  ctx.spec.features.forEach((f, i) => {
    if (f.type === 'cross') {
      crossLeakage(ctx, f.name, f.of, i, byName, labels);
      return;
    }
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

// A hashed cross reads its components' columns: crossing a label in is the same leak.
function crossLeakage(
  ctx: RuleContext,
  name: string,
  of: readonly string[],
  i: number,
  byName: ReadonlyMap<string, Feature>,
  labels: ReadonlyMap<string, { task: string; path: string; derived: boolean }[]>,
): void {
  of.forEach((component, k) => {
    const c = byName.get(component);
    if (!c || c.type === 'cross') return; // rule feature-cross
    const column = c.column ?? c.name;
    const tasks = labels.get(column);
    if (!tasks) return;
    const names = [...new Set(tasks.map((t) => `"${t.task}"`))].join(' and ');
    const what = tasks.every((t) => !t.derived) ? 'the label' : 'read by the label';
    ctx.report({
      code: 'label-leakage',
      path: pointer(pointer(pointer('/features', i), 'of'), k),
      message: `cross "${name}" crosses "${component}", which reads column "${column}", ${what} of task ${names}: the model would see the answer it has to predict. Remove it from the cross.`,
      related: tasks.map((t) => ({
        path: t.path,
        message: t.derived ? `read by the label of task "${t.task}"` : `label of task "${t.task}"`,
      })),
    });
  });
}
