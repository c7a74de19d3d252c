// Three ways to run training jobs, all with the same result:
//   inline   this process, one job at a time (--jobs 1; the tests);
//   process  one child `mmoe-compile train --format json` per job: full isolation, but every
//            run pays Node start-up, the tfjs import and wasm compilation again;
//   thread   one long-lived worker thread per slot: tfjs and wasm load once per slot.
// docs/experiments.md has the measured difference.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Executor } from './definition.js';
import { JobFailed, jobResultFromReport, type JobResult, type TrainJob } from './job.js';

export interface JobRunner {
  /** Run a job on slot `slot` (0 <= slot < slots). One job per slot at a time. */
  run(slot: number, job: TrainJob): Promise<JobResult>;
  close(): Promise<void>;
}

export function createRunner(kind: Executor, slots: number): JobRunner {
  if (kind === 'process') return processRunner();
  if (kind === 'thread') return threadRunner(slots);
  return inlineRunner();
}

function inlineRunner(): JobRunner {
  return {
    run: async (_slot, job) => (await import('./train-job.js')).trainJob(job),
    close: async () => {},
  };
}

const here = dirname(fileURLToPath(import.meta.url));
/** bin/ sits two levels above both src/experiment and dist/experiment. */
export const BIN = fileURLToPath(new URL('../../bin/mmoe-compile.js', import.meta.url));

function tail(file: string, lines = 12): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

function processRunner(): JobRunner {
  const run = (_slot: number, job: TrainJob) =>
    new Promise<JobResult>((resolvePromise, reject) => {
      mkdirSync(dirname(job.logFile), { recursive: true });
      const log = createWriteStream(job.logFile);
      const args = [
        BIN,
        'train',
        job.specPath,
        '--format',
        'json',
        '--no-progress',
        '--backend',
        job.backend,
        '-o',
        job.outDir,
        ...job.sets.flatMap((s) => ['--set', s]),
        ...(job.read.root !== undefined ? ['--root', job.read.root] : []),
        ...(job.read.allowRead ?? []).flatMap((d) => ['--allow-read', d]),
        ...(job.read.config !== undefined ? ['--config', job.read.config] : []),
      ];
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.pipe(log);
      child.on('error', (e) => reject(e));
      child.on('close', (code) => {
        log.end(() => {
          let parsed: { ok?: boolean; message?: string | null } | undefined;
          try {
            parsed = JSON.parse(Buffer.concat(out).toString('utf8'));
          } catch {
            parsed = undefined;
          }
          if (code === 0 && parsed?.ok) return resolvePromise(jobResultFromReport(parsed as never));
          reject(
            new JobFailed(
              `train exited with code ${code}${parsed?.message ? `: ${parsed.message}` : ''}\n${tail(job.logFile)}`,
            ),
          );
        });
      });
    });
  return { run, close: async () => {} };
}

function threadRunner(slots: number): JobRunner {
  const script = `${here}/worker.js`;
  const workers: (Worker | undefined)[] = new Array(slots).fill(undefined);
  const get = (slot: number): Worker => {
    if (!existsSync(script))
      throw new Error(
        `the thread executor needs the built worker ${script}: run \`npm run build\`, or use --executor inline`,
      );
    return (workers[slot] ??= new Worker(script));
  };
  const run = (slot: number, job: TrainJob) =>
    new Promise<JobResult>((resolvePromise, reject) => {
      const w = get(slot);
      const done = () => {
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
      };
      const onMessage = (m: { ok: boolean; result?: JobResult; message?: string }) => {
        done();
        if (m.ok) resolvePromise(m.result!);
        else reject(new JobFailed(m.message ?? 'training failed'));
      };
      // A crashed worker is dropped; the slot's next job starts a fresh one.
      const onError = (e: Error) => {
        done();
        workers[slot] = undefined;
        void w.terminate();
        reject(new JobFailed(`worker failed: ${e.message}\n${tail(job.logFile)}`));
      };
      const onExit = (code: number) => {
        done();
        workers[slot] = undefined;
        reject(new JobFailed(`worker exited with code ${code}\n${tail(job.logFile)}`));
      };
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      w.postMessage(job);
    });
  return {
    run,
    close: async () => {
      await Promise.all(workers.map((w) => w?.terminate()));
      workers.fill(undefined);
    },
  };
}
