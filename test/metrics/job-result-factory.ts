import type { Usage } from '../../src/client/types.js';
import type { OutcomeClass } from '../../src/results/outcomes.js';
import type { JobResult } from '../../src/results/types.js';

/** The few knobs a metrics test cares about; everything else gets a plausible default. */
export interface ResultSpec {
  target?: string;
  model?: string;
  outcome?: OutcomeClass;
  status?: number;
  scheduledAt?: number;
  queue?: number;
  ttfb?: number;
  ttft?: number;
  ttfa?: number;
  e2e?: number;
  itl?: number[];
  usage?: Partial<Usage>;
}

let counter = 0;

/**
 * Builds a self-consistent JobResult: times are derived from scheduledAt + the durations, so
 * `latency = queue + e2e` and `endAt = sentAt + e2e`, as the runner would record them.
 */
export function makeResult(spec: ResultSpec = {}): JobResult {
  const index = counter++;
  const outcome = spec.outcome ?? 'ok';
  const responded = spec.status === undefined || (spec.status >= 200 && spec.status < 300);
  const scheduledAt = spec.scheduledAt ?? 0;
  const queue = spec.queue ?? 0;
  const e2e = spec.e2e ?? 1000;
  const sentAt = scheduledAt + queue;
  const endAt = sentAt + e2e;
  const usage: Usage = {
    promptTokens: 100,
    completionTokens: 50,
    totalTokens: 150,
    source: 'server',
    ...spec.usage,
  };
  const ttft = spec.ttft ?? (responded ? 200 : undefined);
  const tpot =
    ttft !== undefined && usage.completionTokens > 1
      ? (e2e - ttft) / (usage.completionTokens - 1)
      : undefined;
  const target = spec.target ?? 'step-3.5-flash';
  const result: JobResult = {
    v: 1,
    key: `row${index}|${target}|0`,
    index,
    rowId: `row${index}`,
    target,
    model: spec.model ?? target,
    repeat: 0,
    source: { file: 'prompts.csv', line: index + 2 },
    outcome,
    status: spec.status ?? 200,
    times: {
      scheduledAt,
      dispatchedAt: sentAt,
      sentAt,
      endAt,
      ...(ttft !== undefined ? { firstTokenAt: sentAt + ttft } : {}),
    },
    durations: {
      e2e,
      latency: queue + e2e,
      queue,
      ...(spec.ttfb !== undefined ? { ttfb: spec.ttfb } : {}),
      ...(ttft !== undefined ? { ttft } : {}),
      ...(spec.ttfa !== undefined ? { ttfa: spec.ttfa } : {}),
      ...(tpot !== undefined ? { tpot } : {}),
    },
    itl: spec.itl ?? [],
    usage,
    output: 'answer',
    attempts: [],
  };
  return result;
}
