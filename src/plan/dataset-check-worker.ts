/**
 * The worker thread of `DatasetCheck`: reads the datasets to the end and posts what it finds.
 * It shares no state with the run; everything crosses as structured-clone messages.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { DatasetError, UserError } from '../errors.js';
import {
  BUSY_CHECK_DUTY,
  CHECK_THREAD_NICE,
  type CheckPaceMessage,
  type CheckWorkerInput,
  type CheckWorkerMessage,
  ROWS_REPORT_EVERY,
  shardJobCounter,
} from './dataset-check.js';
import { scanDatasets } from './rows.js';

const input = workerData as CheckWorkerInput;

/** Rows between two looks at the clock. */
const PACE_EVERY_ROWS = 1000;
let runIsBusy = false;
parentPort?.on('message', (message: CheckPaceMessage) => {
  if (message.kind === 'busy') runIsBusy = message.busy;
});
// Listening must not keep the thread alive once the check is done.
parentPort?.unref();

/** While the run is busy, sleep after each stretch of work so that work is BUSY_CHECK_DUTY of the time. */
function pacer(): () => Promise<void> | undefined {
  let rows = 0;
  let workedSince = performance.now();
  return () => {
    if (++rows % PACE_EVERY_ROWS !== 0) return undefined;
    const now = performance.now();
    if (!runIsBusy) {
      workedSince = now;
      return undefined;
    }
    const sleepMs = (now - workedSince) * (1 / BUSY_CHECK_DUTY - 1);
    return new Promise<void>((resolve) =>
      setTimeout(() => {
        workedSince = performance.now();
        resolve();
      }, sleepMs),
    );
  };
}
const post = (message: CheckWorkerMessage) => parentPort?.postMessage(message);

async function check(): Promise<void> {
  const counter = shardJobCounter(input.count);
  let rows = 0;
  try {
    const scan = await scanDatasets(input.files, input.options, {
      onRow: (row) => {
        counter.onRow?.(row);
        if (++rows % ROWS_REPORT_EVERY === 0) post({ kind: 'rows', rows });
      },
      onBad: (bad) => post({ kind: 'bad', bad }),
      pace: pacer(),
    });
    post({ kind: 'done', result: { ...scan, shardJobs: counter.jobs() } });
  } catch (error) {
    if (error instanceof DatasetError)
      post({
        kind: 'failed',
        error: { type: 'dataset', file: error.file, line: error.line, reason: error.reason },
      });
    else if (error instanceof UserError)
      post({ kind: 'failed', error: { type: 'user', message: error.message, exitCode: error.exitCode } });
    else {
      const err = error instanceof Error ? error : new Error(String(error));
      post({
        kind: 'failed',
        error: { type: 'internal', message: err.message, ...(err.stack ? { stack: err.stack } : {}) },
      });
    }
  }
}

/**
 * On Linux a nice value belongs to a thread, so this thread alone can yield: the check takes the
 * CPU the run and a server on the same machine leave idle, instead of a share of theirs. Elsewhere
 * (no /proc/thread-self) it runs at the process's priority.
 */
function yieldToTheRun(): void {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, CHECK_THREAD_NICE);
  } catch {
    // Not Linux, or not allowed: the check still runs, at normal priority.
  }
}

yieldToTheRun();
await check();
