import { z } from 'zod';
import { parseDuration } from './duration.js';

/**
 * Field types shared by the config file, the command line and the library. Each one accepts the
 * value as a YAML/JSON file or a library call writes it (a number) and as the command line
 * delivers it (text), and says what was wrong quoting what was typed: `-c abc` must read
 * `(got "abc")`, not `got NaN`.
 */

function shown(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?\s*$/i.test(value))
    return Number(value);
  return undefined;
}

export interface NumberRule {
  integer?: boolean;
  /** Smallest allowed value (inclusive). */
  min?: number;
  /** Largest allowed value (inclusive). */
  max?: number;
  /** Values must be strictly greater than this. */
  above?: number;
}

function describeRule(rule: NumberRule): string {
  const kind = rule.integer ? 'a whole number' : 'a number';
  const parts: string[] = [];
  if (rule.above !== undefined) parts.push(`> ${rule.above}`);
  if (rule.min !== undefined && rule.max !== undefined) return `${kind} from ${rule.min} to ${rule.max}`;
  if (rule.min !== undefined) parts.push(`≥ ${rule.min}`);
  if (rule.max !== undefined) parts.push(`≤ ${rule.max}`);
  return [kind, ...parts].join(' ');
}

/** A number (or numeric text) that meets `rule`. */
export function numberField(rule: NumberRule, hint = '') {
  const expected = `must be ${describeRule(rule)}${hint}`;
  return z
    .union([z.number(), z.string()], { error: (i) => `${expected} (got ${shown(i.input)})` })
    .transform((value, ctx) => {
      const n = asNumber(value);
      const fits =
        n !== undefined &&
        (!rule.integer || Number.isInteger(n)) &&
        (rule.min === undefined || n >= rule.min) &&
        (rule.max === undefined || n <= rule.max) &&
        (rule.above === undefined || n > rule.above);
      if (!fits) {
        ctx.issues.push({ code: 'custom', message: `${expected} (got ${shown(value)})`, input: value });
        return z.NEVER;
      }
      return n as number;
    });
}

export const wholeAtLeast1 = () => numberField({ integer: true, min: 1 });
export const wholeAtLeast0 = () => numberField({ integer: true, min: 0 });
export const positiveNumber = () => numberField({ above: 0 });

/** `30s`, `500ms`, `2m`, `1h30m`, or a number of seconds → milliseconds. */
export function durationField() {
  return z
    .union([z.number(), z.string()], {
      error: (i) => `must be a duration such as 500ms, 30s or 2m (got ${shown(i.input)})`,
    })
    .transform((value, ctx) => {
      try {
        return parseDuration(value, '');
      } catch (err) {
        ctx.issues.push({
          code: 'custom',
          message: (err as Error).message.replace(/^\s*must/, 'must'),
          input: value,
        });
        return z.NEVER;
      }
    });
}

/** `--prescan`: a duration, or `all` (wait for the whole check, however long) → ms or Infinity. */
export function prescanField() {
  return z
    .union([z.number(), z.string()], {
      error: (i) => `must be a duration such as 500ms or 2s, or 'all' (got ${shown(i.input)})`,
    })
    .transform((value, ctx) => {
      if (typeof value === 'string' && value.trim() === 'all') return Number.POSITIVE_INFINITY;
      try {
        return parseDuration(value, '');
      } catch {
        ctx.issues.push({
          code: 'custom',
          message: `must be a duration such as 500ms or 2s, or 'all' (got ${shown(value)})`,
          input: value,
        });
        return z.NEVER;
      }
    });
}

/** A positive duration (a phase or a ramp that lasts 0 s means nothing). */
export function positiveDurationField() {
  return durationField().refine((ms) => ms > 0, { message: 'must be longer than 0' });
}

export function choiceField<const T extends readonly [string, ...string[]]>(choices: T) {
  return z.enum(choices, {
    error: (i) => `must be one of ${choices.map((c) => `'${c}'`).join(', ')} (got ${shown(i.input)})`,
  });
}

export const textField = () =>
  z
    .string({ error: (i) => `must be a non-empty string (got ${shown(i.input)})` })
    .min(1, 'must not be empty');

export const flagField = () => z.boolean({ error: (i) => `must be true or false (got ${shown(i.input)})` });

/** One string or a list of them (the command line gives a list for a repeatable flag). */
export const textList = (what: string) =>
  z
    .union([z.string(), z.array(z.string())], { error: () => `must be a list of ${what}` })
    .transform((v) => (typeof v === 'string' ? [v] : v));
