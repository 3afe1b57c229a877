/** Types for mock-clock.mjs, so TypeScript tests can import it under strict mode. */
import type { MockProcess } from './mock-process.mjs';

export interface MockClock {
  epochOffsetMs: number;
  scheduleZeroAt: number;
  roundTripMs: number;
}
export interface LimitChangeSeen {
  beforeEpochMs: number;
  seenEpochMs: number;
  limits: { rpm: number | null; tpm: number | null; concurrency: number | null };
}
export function calibrateMockClock(
  mock: MockProcess,
  options: { readyEpochMs: number; probes?: number },
): Promise<MockClock>;
export function clockFrom(sample: {
  sentAt: number;
  answeredAt: number;
  receivedAt: number;
  readyEpochMs: number;
}): MockClock;
export function watchLimitChanges(
  mock: MockProcess,
  options?: { everyMs?: number },
): { stop(): Promise<LimitChangeSeen[]> };
export function scheduleZeroFrom(
  changes: readonly LimitChangeSeen[],
  steps: readonly { atMs: number; perMinute: number }[],
  epochOffsetMs: number,
): number | null;
