/** The StepFun-compatible mock server: library entry point. */
export { type Dist, parseDist, sampleDist } from './dist.js';
export {
  DEFAULT_MOCK_OPTIONS,
  type MockOptions,
  type MockOptionsInput,
  type MockQuirks,
  resolveMockOptions,
} from './options.js';
export { type MockServer, startMockServer } from './server.js';
export type { MockRequestRecord, MockStats, MockStatsSnapshot } from './stats.js';
