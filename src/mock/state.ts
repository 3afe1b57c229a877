import type { ChatMessage } from '../dataset/types.js';
import { AdmissionControl, effectiveLimits, hasAnyLimit } from './limits.js';
import { createModerationCheck } from './moderation.js';
import type { MockOptions } from './options.js';
import type { MockStatsRecorder } from './stats.js';

/** What every request of one server shares: the ground truth and the stateful limits and faults. */
export interface MockState {
  stats: MockStatsRecorder;
  /** Undefined when no limit is configured, so the default mock pays nothing for admission. */
  admission: AdmissionControl | undefined;
  isModerated: (messages: readonly ChatMessage[]) => boolean;
  /** Replies started so far (a reply is billed when it starts), for `balanceRequests`. */
  billedReplies: number;
}

export function createMockState(options: MockOptions, stats: MockStatsRecorder): MockState {
  const limits = effectiveLimits(options);
  return {
    stats,
    admission: hasAnyLimit(limits)
      ? new AdmissionControl(limits, () => performance.now(), options.rateWindowMs)
      : undefined,
    isModerated: createModerationCheck(options.moderationPattern),
    billedReplies: 0,
  };
}
