/**
 * The worker thread of `DatasetCheck`: reads the datasets to the end and posts what it finds.
 * It shares no state with the run; everything crosses as structured-clone messages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DatasetError, UserError } from '../errors.js';
import {
  type CheckWorkerInput,
  type CheckWorkerMessage,
  ROWS_REPORT_EVERY,
  shardJobCounter,
} from './dataset-check.js';
import { scanDatasets } from './rows.js';

const input = workerData as CheckWorkerInput;
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

await check();
