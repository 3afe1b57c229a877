/**
 * stepbench as a library: `run()` does what `stepbench run` does and returns the report.
 * Everything the CLI uses is exported here, so tests and other tools can drive each stage.
 */
export { run, type RunOptions } from './run/run.js';
export {
  executeRun,
  type ExecuteRunOptions,
  type ProgressSnapshot,
  type RunEvents,
  type RunOutcome,
} from './run/execute.js';
export { readDataset } from './dataset/read.js';
export type { BadRow, ChatMessage, DatasetItem, DatasetRow } from './dataset/types.js';
export { resolveTargets } from './plan/targets.js';
export { loadConfigFile, parseConfig } from './plan/config-file.js';
export type { Job, Price, Target } from './plan/types.js';
export { Transport } from './client/transport.js';
export { sendCompletion } from './client/send.js';
export type { AttemptResult, OutcomeClass, Usage } from './client/types.js';
export { OUTCOME_CLASSES } from './client/types.js';
export type { JobResult } from './results/types.js';
export { readResults } from './results/reader.js';
export { MetricsCollector } from './metrics/collector.js';
export { buildReport } from './report/json.js';
export { formatSummary } from './report/console.js';
export type { Report } from './report/schema.js';
export { startMockServer, type MockServer } from './mock/server.js';
export type { MockOptions } from './mock/options.js';
export { UserError, DatasetError, RunAbortedError } from './errors.js';
export { ExitCode } from './exit-codes.js';
