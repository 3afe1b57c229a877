/** The StepFun-compatible mock server: library entry point. */
export { type Dist, parseDist, sampleDist } from './dist.js';
export { FAULT_KINDS, type FaultKind, type StallPhase } from './faults.js';
export type { LimitChange } from './limit-change.js';
export { type LimitStep, parseLimitSchedule } from './limit-schedule.js';
export { LIMIT_SHAPE_NAMES, type LimitShapeName } from './limit-shapes/index.js';
export {
  type EffectiveLimits,
  effectiveLimits,
  type LimitName,
  type LimitsInForce,
} from './limits.js';
export {
  DEFAULT_MOCK_OPTIONS,
  type MockOptions,
  type MockOptionsInput,
  type MockQuirks,
  resolveMockOptions,
} from './options.js';
export { formatGoDuration, RETRY_AFTER_STYLES, type RetryAfterStyle } from './rate-limit-headers.js';
export { type MockServer, startMockServer } from './server.js';
export type {
  FaultCounts,
  MockRequestRecord,
  MockStats,
  MockStatsSnapshot,
  RateLimitedCounts,
} from './stats.js';
