// Worker-thread entry of the `thread` executor: trains the jobs it is sent, one at a time, and
// posts each result back. tfjs and the wasm module load once per worker, not once per run.
import { parentPort } from 'node:worker_threads';
import type { TrainJob } from './job.js';
import { trainJob } from './train-job.js';

parentPort!.on('message', (job: TrainJob) => {
  trainJob(job).then(
    (result) => parentPort!.postMessage({ ok: true, result }),
    (e: unknown) => parentPort!.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) }),
  );
});
