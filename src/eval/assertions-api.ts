/**
 * The assertion library's public surface in one import for the run, the config loader and the
 * CSV reader. Everything is pure apart from loadCustomChecks, which imports user modules.
 */
export { loadCustomChecks } from './assertions/custom.js';
export {
  checkAssertion,
  type EvaluateOptions,
  evaluateRow,
  type RowEvaluation,
} from './assertions/evaluate.js';
export { ASSERTION_KINDS } from './assertions/index.js';
export { DEFAULT_SIMILARITY_THRESHOLD } from './assertions/similarity.js';
export type {
  AssertionContext,
  AssertionKind,
  AssertionResult,
  AssertionSpec,
  CustomCheckContext,
  CustomCheckFunction,
  CustomChecks,
  Grader,
  GraderInput,
  GraderVerdict,
} from './assertions/types.js';
export {
  type ValidateOptions,
  validateAssertion,
  validateAssertions,
  validateThreshold,
} from './assertions/validate.js';
export { contextFromResult } from './context.js';
export { ASSERT_COLUMN_PREFIX, assertionsFromColumns, isAssertionColumn } from './csv-assertions.js';
export { expectedAssertion, rowAssertions } from './expected.js';
export { gradeOffline, offlineGrader } from './offline-grader.js';
export {
  type Interval,
  type RepeatOutcome,
  type RepeatSummary,
  type RowRepeatSummary,
  summarizeRepeats,
  type TargetRepeatSummary,
  wilsonInterval,
} from './repeats.js';
