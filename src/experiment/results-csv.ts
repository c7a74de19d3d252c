// results.csv: one row per run, in plan order. Test metrics as test.<task>.<metric> columns;
// matrix values each in their own column as well as joined in `overrides`.
import type { Experiment } from './definition.js';
import type { RunRecord } from './record.js';

const cellText = (v: unknown): string => {
  const s = v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function renderCsv(exp: Experiment, records: readonly RunRecord[]): string {
  const matrixCols = [...new Set([...exp.cells.flat().map(([p]) => p), ...exp.matrix.map(([p]) => p)])];
  const metricCols: string[] = [];
  for (const r of records)
    for (const [task, ms] of Object.entries(r.test))
      for (const m of Object.keys(ms)) {
        const c = `test.${task}.${m}`;
        if (!metricCols.includes(c)) metricCols.push(c);
      }
  const header = [
    'id',
    'spec',
    'label',
    'family',
    'params',
    ...matrixCols,
    'overrides',
    'seed',
    ...metricCols,
    'final_train_loss',
    'epochs',
    'best_epoch',
    'stopped_early',
    'train_seconds',
    'wall_seconds',
    'examples_per_second',
    'label_correlation',
    'backend',
    'spec_hash',
    'key',
  ];
  const rows = records.map((r) => {
    const test = (c: string) => {
      const [, task, m] = c.split('.');
      return r.test[task]?.[m];
    };
    return [
      r.id,
      r.spec,
      r.label,
      r.family,
      r.params,
      ...matrixCols.map((p) => r.overrides[p]),
      r.cell,
      r.seed,
      ...metricCols.map(test),
      r.epochs.at(-1)?.loss,
      r.epochs.length,
      r.bestEpoch,
      r.stoppedEarly,
      r.trainSeconds.toFixed(2),
      r.wallSeconds.toFixed(2),
      Math.round(r.examplesPerSecond),
      r.labelCorrelation,
      r.backend,
      r.specHash,
      r.key,
    ].map(cellText);
  });
  return [header.map(cellText), ...rows].map((r) => r.join(',')).join('\n') + '\n';
}
