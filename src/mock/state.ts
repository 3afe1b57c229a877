import type { ChatMessage } from '../dataset/types.js';
import { AdmissionControl, effectiveLimits } from './limits.js';
import { createModerationCheck } from './moderation.js';
import type { MockOptions } from './options.js';
import type { MockStatsRecorder } from './stats.js';

/** What every request of one server shares: the ground truth and the stateful limits and faults. */
export interface MockState {
  stats: MockStatsRecorder;
  /**
   * Always present, even with no limit configured: `POST /_mock/limits` may switch one on at any
   * time, and the concurrency count must already be right when it does.
   */
  admission: AdmissionControl;
  isModerated: (messages: readonly ChatMessage[]) => boolean;
  /** Replies started so far (a reply is billed when it starts), for `balanceRequests`. */
  billedReplies: number;
}

/**
 * The admission clock: epoch milliseconds that never jump (the process's time origin plus the
 * monotonic clock), so a fixed window resets on the wall-clock minute as a real server's does.
 */
const admissionClock = (): number => performance.timeOrigin + performance.now();

/** The server's limits, their shape and schedule; the schedule's 0 s is now (the mock's start). */
export function createAdmission(options: MockOptions): AdmissionControl {
  return new AdmissionControl(effectiveLimits(options), admissionClock, options.rateWindowMs, {
    shape: options.rateLimitShape,
    rpmBurst: options.rpmBurst,
    tpmBurst: options.tpmBurst,
    schedule: options.limitSchedule,
  });
}

export function createMockState(
  options: MockOptions,
  stats: MockStatsRecorder,
  admission: AdmissionControl = createAdmission(options),
): MockState {
  return {
    stats,
    admission,
    isModerated: createModerationCheck(options.moderationPattern),
    billedReplies: 0,
  };
}
