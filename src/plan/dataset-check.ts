import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BadRow, DatasetRow } from '../dataset/types.js';
import { DatasetError, UserError } from '../errors.js';
import { jobKey } from './jobs.js';
import { type DatasetOptions, type DatasetScan, scanDatasets } from './rows.js';
import { inShard, type Shard } from './shard.js';

/**
 * Datasets smaller than this are checked in the run's own thread (a worker costs its own
 * isolate, some 10 MB, to start); larger ones in a worker thread, so that checking a million rows takes no time
 * from the thread that sends requests and stamps their timings. About 50,000 short rows.
 */
export const WORKER_CHECK_BYTES = 4 * 1024 * 1024;

/** A shard counts its own jobs while the rows are checked (no second pass over the data). */
export interface ShardCount {
  shard: Shard;
  repeat: number;
  targets: readonly string[];
}

export interface CheckResult extends DatasetScan {
  /** With `ShardCount`: this shard's jobs. */
  shardJobs: number;
}

/** What the worker thread is given (structured-clone data). */
export interface CheckWorkerInput {
  files: readonly string[];
  options: DatasetOptions;
  count?: ShardCount;
}

/** What the worker thread sends back. */
export type CheckWorkerMessage =
  | { kind: 'bad'; bad: BadRow }
  | { kind: 'rows'; rows: number }
  | { kind: 'done'; result: CheckResult }
  | { kind: 'failed'; error: { type: 'dataset'; file: string; line: number; reason: string } }
  | { kind: 'failed'; error: { type: 'user'; message: string; exitCode: number } }
  | { kind: 'failed'; error: { type: 'internal'; message: string; stack?: string } };

/**
 * The worker thread's nice value (Linux, the lowest priority): it loses every contended time
 * slice to the run's thread and to a server on the same machine; on an idle CPU it runs at full
 * speed. The planner validates every row it sends itself, so a check that falls behind delays
 * only the count and the early warning, never lets a bad row through.
 */
export const CHECK_THREAD_NICE = 19;

/**
 * While the run's thread is busy (event-loop utilisation above BUSY_UTILISATION over the last
 * PACE_SAMPLE_MS), the worker works this share of the time and sleeps the rest. Nice alone is not
 * enough: on this 2-vCPU machine, busy with the run and a local server, a checker at full speed
 * cost a 3,300 req/s run 16 % of its throughput even at nice 19 (docs/performance.md, suite
 * `big-dataset`). Against a remote API the run's thread is mostly idle and the check runs at full
 * speed.
 */
export const BUSY_CHECK_DUTY = 0.1;
export const BUSY_UTILISATION = 0.5;
export const PACE_SAMPLE_MS = 200;

/** What the run's thread tells the worker. */
export type CheckPaceMessage = { kind: 'busy'; busy: boolean };

/** How often (in rows) the worker reports its count, for `soFar()`. */
export const ROWS_REPORT_EVERY = 10_000;

/** The per-row job counter of a shard. */
export function shardJobCounter(count: ShardCount | undefined): {
  onRow?: (row: DatasetRow) => void;
  jobs: () => number;
} {
  if (!count) return { jobs: () => 0 };
  let jobs = 0;
  return {
    onRow: (row) => {
      for (let r = 0; r < count.repeat; r++)
        for (const t of count.targets) if (inShard(jobKey(row.id, t, r), count.shard)) jobs++;
    },
    jobs: () => jobs,
  };
}

/**
 * The check of a run's datasets (every row read once: bad rows, duplicate ids, the count), started
 * before the first request and awaited for at most a budget (`--prescan`, design note 009): a
 * dataset checked within it behaves as if checked first; a larger one is checked alongside the
 * run, and a bad row it finds stops the run then. `done` settles once, with the whole scan or the
 * first problem (a `UserError`/`DatasetError`).
 */
export class DatasetCheck {
  readonly done: Promise<CheckResult>;
  private rows = 0;
  private readonly badRows: BadRow[] = [];
  private settled = false;
  private readonly cancelInThread = new AbortController();
  private worker: Worker | undefined;

  private constructor(
    files: readonly string[],
    options: DatasetOptions,
    count: ShardCount | undefined,
    inWorker: boolean,
  ) {
    const run = inWorker
      ? this.inWorker({ files, options, ...(count ? { count } : {}) })
      : this.inThread(files, options, count);
    this.done = run.finally(() => {
      this.settled = true;
    });
    // A rejection nobody awaited yet (the run is still being set up) must not crash the process.
    this.done.catch(() => undefined);
  }

  static async start(
    files: readonly string[],
    options: DatasetOptions,
    count?: ShardCount,
  ): Promise<DatasetCheck> {
    const bytes = await totalBytes(files);
    const inWorker = bytes >= WORKER_CHECK_BYTES && existsSync(WORKER_FILE);
    return new DatasetCheck(files, options, count, inWorker);
  }

  /** The result if the check ends within `ms`, else undefined (it goes on). Rejects with its problem. */
  async within(ms: number): Promise<CheckResult | undefined> {
    if (!Number.isFinite(ms)) return this.done;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), Math.max(0, ms));
    });
    try {
      return await Promise.race([this.done, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  get finished(): boolean {
    return this.settled;
  }

  /** What was counted so far (rows: a lower bound). */
  soFar(): DatasetScan {
    return { rows: this.rows, badRows: [...this.badRows], complete: false };
  }

  /** Stops a check the run no longer needs (it ended first); what it counted stays in `soFar()`. */
  async cancel(): Promise<void> {
    if (this.settled) return;
    this.cancelInThread.abort();
    await this.worker?.terminate();
  }

  private async inThread(
    files: readonly string[],
    options: DatasetOptions,
    count: ShardCount | undefined,
  ): Promise<CheckResult> {
    const counter = shardJobCounter(count);
    const scan = await scanDatasets(files, options, {
      onRow: (row) => {
        this.rows++;
        counter.onRow?.(row);
      },
      onBad: (bad) => this.badRows.push(bad),
      signal: this.cancelInThread.signal,
    });
    if (!scan.complete) throw new CheckCancelled('the dataset check was cancelled');
    return { ...scan, badRows: [...this.badRows], shardJobs: counter.jobs() };
  }

  private inWorker(input: CheckWorkerInput): Promise<CheckResult> {
    return new Promise<CheckResult>((resolve, reject) => {
      const worker = new Worker(WORKER_FILE, {
        workerData: input,
        // Reading makes garbage fast; a small heap makes the worker collect it often instead of
        // growing (the ids live in typed arrays outside this heap).
        resourceLimits: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 4 },
      });
      this.worker = worker;
      // The run does not wait for its check to finish before exiting (a `-n 100` run cancels it).
      worker.unref();
      let last = performance.eventLoopUtilization();
      let busy = false;
      const pace = setInterval(() => {
        const now = performance.eventLoopUtilization();
        const nowBusy = performance.eventLoopUtilization(now, last).utilization > BUSY_UTILISATION;
        last = now;
        if (nowBusy !== busy) {
          busy = nowBusy;
          worker.postMessage({ kind: 'busy', busy } satisfies CheckPaceMessage);
        }
      }, PACE_SAMPLE_MS);
      pace.unref();
      worker.once('exit', () => clearInterval(pace));
      worker.on('message', (message: CheckWorkerMessage) => {
        switch (message.kind) {
          case 'bad':
            this.badRows.push(message.bad);
            break;
          case 'rows':
            this.rows = message.rows;
            break;
          case 'done':
            // Its bad rows came one message each, in order, before this one.
            this.rows = message.result.rows;
            resolve({ ...message.result, badRows: [...this.badRows] });
            break;
          case 'failed':
            reject(errorFrom(message.error));
            break;
        }
      });
      worker.on('error', reject);
      worker.on('exit', (code) => {
        // Terminated by `cancel()`, or exited without a word: either way the check has ended.
        reject(new CheckCancelled(`the dataset check ended early (worker exit ${code})`));
      });
    });
  }
}

/** `done` rejected because the check was cancelled, not because of the data. */
export class CheckCancelled extends Error {}

const WORKER_FILE = fileURLToPath(new URL('./dataset-check-worker.js', import.meta.url));

function errorFrom(error: Extract<CheckWorkerMessage, { kind: 'failed' }>['error']): Error {
  switch (error.type) {
    case 'dataset':
      return new DatasetError(error.file, error.line, error.reason);
    case 'user':
      return new UserError(error.message, error.exitCode as UserError['exitCode']);
    case 'internal': {
      const internal = new Error(`dataset check: ${error.message}`);
      if (error.stack) internal.stack = error.stack;
      return internal;
    }
  }
}

async function totalBytes(files: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const file of files) {
    try {
      bytes += (await stat(file)).size;
    } catch {
      // A missing file is the reader's to report, with its own message.
    }
  }
  return bytes;
}
