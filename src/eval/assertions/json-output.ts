import type { JsonValue } from './types.js';

export type ParsedOutput = { ok: true; value: JsonValue } | { ok: false; reason: string };

const FENCED = /^```[\w-]*\s*\n[\s\S]*\n\s*```$/;

/**
 * The output parsed as JSON after trimming surrounding whitespace. Strict: a Markdown code fence
 * around the JSON is not removed (an app that parses the reply would fail on it too), but the
 * reason says so, because that is the usual cause.
 */
export function parseOutputJson(output: string): ParsedOutput {
  const text = output.trim();
  if (text === '') return { ok: false, reason: 'output is empty, not JSON' };
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch (error) {
    if (FENCED.test(text)) {
      return {
        ok: false,
        reason: 'output is JSON inside a Markdown code fence (```); bare JSON is required',
      };
    }
    return { ok: false, reason: `output is not JSON: ${(error as Error).message}` };
  }
}

/** Deep equality of JSON values; object key order does not matter. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  const aKeys = Object.keys(a);
  const bObject = b as Record<string, unknown>;
  if (aKeys.length !== Object.keys(bObject).length) return false;
  return aKeys.every(
    (key) => Object.hasOwn(bObject, key) && jsonEqual((a as Record<string, unknown>)[key], bObject[key]),
  );
}

/** A JSON value on one short line for reasons. */
export function showJson(value: unknown, max = 60): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
