import { parseDuration } from '../../plan/duration.js';
import { show } from './spec-reader.js';
import type { AssertionType, MaxDurationSpec } from './types.js';

const NAMES = { 'max-ttft': 'ttft', 'max-e2e': 'e2e' } as const;

/** `1500` (a number: ms) or a string with a unit: `1500ms`, `2s`, `1m`. */
function readMs(value: unknown, fail: (problem: string) => never): number {
  if (value === undefined || value === null)
    fail('value is missing: give a duration such as 2s or 1500 (ms)');
  let ms: number;
  if (typeof value === 'number') ms = value;
  else if (typeof value === 'string') {
    const text = value.trim();
    if (/^\d+(\.\d+)?$/.test(text))
      fail(`value "${text}" needs a unit: write "${text}ms", or the number ${text} without quotes (ms)`);
    try {
      ms = parseDuration(text, 'value');
    } catch {
      return fail(`value ${show(value)} is not a duration such as 500ms, 2s or 1m`);
    }
  } else return fail(`value must be a duration such as 2s or a number of ms, got ${show(value)}`);
  if (!Number.isFinite(ms) || ms <= 0) fail(`value must be a duration above 0, got ${show(value)}`);
  return ms;
}

function formatMs(ms: number): string {
  if (ms >= 1000) return `${Number((ms / 1000).toFixed(3))} s`;
  return `${Number(ms.toFixed(1))} ms`;
}

/**
 * `max-ttft` / `max-e2e`: this request's time to first token / end-to-end time is at most the
 * value. A request without that duration (no token arrived, no result timings) fails with a reason.
 */
export const maxDuration: AssertionType<MaxDurationSpec> = {
  kinds: ['max-ttft', 'max-e2e'],
  negatable: false,
  parse(_kind, fields) {
    return { value: readMs(fields.get('value'), fields.fail.bind(fields)) };
  },
  check(spec, ctx) {
    const name = NAMES[spec.kind];
    const ms = ctx.durations?.[name];
    if (ms === undefined || !Number.isFinite(ms)) {
      return { pass: false, reason: `no ${name} for this request`, undecided: true };
    }
    return ms <= spec.value
      ? { pass: true, reason: `${name} ${formatMs(ms)} ≤ ${formatMs(spec.value)}` }
      : { pass: false, reason: `${name} ${formatMs(ms)} > ${formatMs(spec.value)}` };
  },
};
