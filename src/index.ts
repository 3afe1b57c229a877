/**
 * stepbench as a library: `run()` does what `stepbench run` does and returns the report.
 * Everything the CLI uses is exported here, so tests and other tools can drive each stage.
 */

export { type CapacityOptions, type CapacityOutcome, capacity } from './capacity/run-capacity.js';
export { CapacitySearch } from './capacity/search.js';
export type { CapacityAnswer, StepMeasurement } from './capacity/types.js';
export { sendCompletion } from './client/send.js';
export { Transport } from './client/transport.js';
export type { AttemptResult, Usage } from './client/types.js';
export { compareFinishedRuns } from './compare/compare-command.js';
export { type BaselineComparison, compareRuns, DEFAULT_ALPHA } from './compare/compare-runs.js';
export type { MetricDelta } from './compare/metric-deltas.js';
export type { RowChange, RowChanges } from './compare/row-changes.js';
export { loadRunSide, type RunSide, runSide, samplesFromResults } from './compare/run-side.js';
export {
  type ComparedTarget,
  checkReference,
  compareTargets,
  type TargetsComparison,
} from './compare/targets-compare.js';
export { DEFAULT_MAX_REGRESSION, parseThreshold, type Threshold } from './compare/thresholds.js';
export { readDataset } from './dataset/read.js';
export type { BadRow, ChatMessage, DatasetItem, DatasetRow } from './dataset/types.js';
export { DatasetError, UserError } from './errors.js';
export type { Grader, GraderInput, GraderVerdict } from './eval/assertions-api.js';
export { gradeOffline, offlineGrader } from './eval/assertions-api.js';
export { GateWatch, type GateWatchOptions } from './eval/gate-watch.js';
export { GRADER_MARKER, gradingMessages, parseGraderAnswer } from './eval/grading-prompt.js';
export { type RepeatsReport, RepeatTracker, summarizeRepeats, wilsonInterval } from './eval/repeats.js';
export { GoodputTracker, parseSlo, type Slo } from './eval/slo.js';
export { ExitCode } from './exit-codes.js';
export { type MergeOptions, mergeShards } from './merge/merge-shards.js';
export { CheckCounts, type CheckSummary, checkVerdict, passRate } from './metrics/check-counts.js';
export { MetricsCollector } from './metrics/collector.js';
export { costOf, requestCost } from './metrics/cost.js';
export type { MockOptions } from './mock/options.js';
export { type MockServer, startMockServer } from './mock/server.js';
export { type CapacityConfig, resolveCapacityConfig } from './plan/capacity-config.js';
export { type ConfigFile, loadConfigFile, parseConfig } from './plan/config-file.js';
export type { LoadShape, Phase } from './plan/phases.js';
export { type RunConfig, type RunOptions, resolveRunConfig } from './plan/run-config.js';
export { resolveGrader, resolveTargets } from './plan/targets.js';
export type { Job, Price, Target } from './plan/types.js';
export {
  type RebuildOptions,
  type RebuildOutcome,
  rebuildReports,
} from './rebuild/rebuild.js';
export { formatSummary } from './report/console.js';
export { writeReportHtml } from './report/html/write-html.js';
export { buildReport } from './report/json.js';
export { type JunitCounts, type JunitOptions, writeJunitXml } from './report/junit-xml.js';
export { RUN_FILE, type RunFile, readRunFile } from './report/run-file.js';
export type { Report, ReportGrader, ReportRebuilt } from './report/schema.js';
export { OUTCOME_CLASSES, OUTCOMES, type OutcomeClass, type OutcomeTraits } from './results/outcomes.js';
export { readResults } from './results/reader.js';
export type { JobResult } from './results/types.js';
export { ModelGrader } from './run/model-grader.js';
export type { ProgressSnapshot, RunEvents, RunIo, RunOutcome } from './run/pipeline.js';
export { executeRun, run } from './run/run.js';
