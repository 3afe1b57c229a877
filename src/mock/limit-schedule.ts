import { UserError } from '../errors.js';
import { parseDuration } from '../plan/duration.js';
import type { LimitChange } from './limit-change.js';

/** One step of a limit schedule: at `atMs` after the mock started, `change` takes effect. */
export interface LimitStep {
  atMs: number;
  change: LimitChange;
}

/** The names an entry may set; a bare value sets `rpm`. */
const ENTRY_KEYS = { rpm: 'rpm', tpm: 'tpm', concurrency: 'concurrency' } as const;
const OFF = new Set(['off', 'none']);

const ordinal = (n: number): string => {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th');
  return `${n}${suffix}`;
};

/**
 * `0s:600,30s:300,60s:rpm=600,60s:tpm=off` → steps. Each entry is TIME:VALUE or TIME:NAME=VALUE:
 * TIME a duration after the mock started (30s, 1m30s, 500ms; a bare number is seconds), NAME one
 * of rpm (the default), tpm, concurrency, VALUE an integer >= 1 or `off`. Times must not go
 * backwards; entries at the same time apply in order. Errors name `label` and the entry.
 */
export function parseLimitSchedule(text: string, label: string): LimitStep[] {
  const entries = text.split(',').map((entry) => entry.trim());
  if (entries.every((entry) => entry === ''))
    throw new UserError(`${label} is empty; give entries such as 0s:600,30s:300`);
  const steps: LimitStep[] = [];
  entries.forEach((entry, index) => {
    const bad = (problem: string): never => {
      throw new UserError(
        `${label}: the ${ordinal(index + 1)} entry "${entry}" ${problem} (entries look like 30s:300 or 30s:tpm=90000)`,
      );
    };
    const colon = entry.indexOf(':');
    if (colon < 0) bad('has no ":" between the time and the limit');
    let atMs = 0;
    try {
      atMs = parseDuration(entry.slice(0, colon), 'its time');
    } catch (error) {
      bad(`has a bad time: ${(error as Error).message}`);
    }
    const setting = entry.slice(colon + 1).trim();
    const equals = setting.indexOf('=');
    const name = equals < 0 ? 'rpm' : setting.slice(0, equals).trim();
    const valueText = (equals < 0 ? setting : setting.slice(equals + 1)).trim();
    const key = ENTRY_KEYS[name as keyof typeof ENTRY_KEYS];
    if (key === undefined) bad(`sets "${name}", which is none of rpm, tpm, concurrency`);
    let value: number | null = null;
    if (!OFF.has(valueText)) {
      value = /^\d+$/.test(valueText) ? Number(valueText) : Number.NaN;
      if (!Number.isSafeInteger(value) || value < 1) bad(`has a value that is not an integer >= 1 or "off"`);
    }
    const previous = steps.at(-1);
    if (previous && atMs < previous.atMs) bad('comes before the entry ahead of it; list times in order');
    steps.push({ atMs, change: { [key]: value } });
  });
  return steps;
}

/**
 * Hands out a schedule's steps as they fall due on the caller's clock, each once, in order, with
 * the time it was due (so a shape can be retuned at that moment, not at the next request's).
 */
export class ScheduleCursor {
  private next = 0;

  constructor(
    private readonly steps: readonly LimitStep[],
    private readonly startedAt: number,
  ) {}

  due(now: number): { at: number; change: LimitChange }[] {
    const due: { at: number; change: LimitChange }[] = [];
    for (let step = this.steps[this.next]; step; step = this.steps[this.next]) {
      const at = this.startedAt + step.atMs;
      if (at > now) break;
      due.push({ at, change: step.change });
      this.next++;
    }
    return due;
  }
}
