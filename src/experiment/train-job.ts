// Run one training job in this thread (the inline executor and each worker thread use this).
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { renderDiagnostics } from '../util/output.js';
import { runTraining } from '../driver/train.js';
import { JobFailed, jobResultFromReport, type JobResult, type TrainJob } from './job.js';

export async function trainJob(job: TrainJob): Promise<JobResult> {
  mkdirSync(dirname(job.logFile), { recursive: true });
  const log = (line: string) => appendFileSync(job.logFile, line.endsWith('\n') ? line : line + '\n');
  const r = await runTraining(job.specPath, {
    sets: job.sets,
    read: job.read,
    backend: job.backend,
    outDir: job.outDir,
    log,
    trace: true,
  });
  if (!r.ok) {
    const text = [r.diagnostics.length ? renderDiagnostics(r.diagnostics, 'text', r.sources) : '', r.message ?? '']
      .filter(Boolean)
      .join('\n');
    log(text);
    throw new JobFailed(text || 'training failed');
  }
  return jobResultFromReport(r.report);
}
