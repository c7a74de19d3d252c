// A label must not also be an input: a feature that reads a task's label column lets the model
// see the answer, so training looks perfect and serving (where the label is unknown) fails.
// Only labels count; a sampleSpace column (click, for cvr) is an ordinary input elsewhere.
import { pointer } from '../source.js';
import type { RuleContext } from './context.js';

export function labelLeakage(ctx: RuleContext): void {
  const labels = new Map<string, { task: string; path: string }[]>();
  ctx.spec.tasks.forEach((t, i) => {
    if (t.label === undefined) return;
    const list = labels.get(t.label) ?? [];
    list.push({ task: t.name, path: pointer(pointer('/tasks', i), 'label') });
    labels.set(t.label, list);
  });
  ctx.spec.features.forEach((f, i) => {
    const column = f.column ?? f.name;
    const tasks = labels.get(column);
    if (!tasks) return;
    const fp = pointer('/features', i);
    const names = tasks.map((t) => `"${t.task}"`).join(' and ');
    ctx.report({
      code: 'label-leakage',
      path: pointer(fp, f.column !== undefined ? 'column' : 'name'),
      message: `feature "${f.name}" reads column "${column}", the label of task ${names}: the model would see the answer it has to predict. Remove the feature (or read another column).`,
      related: tasks.map((t) => ({ path: t.path, message: `label of task "${t.task}"` })),
    });
  });
}
