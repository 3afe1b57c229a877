import type { FieldReader, JsonValue } from './types.js';

/** A malformed assertion; validate.ts turns it into a UserError naming which one. */
export class SpecProblem extends Error {
  constructor(problem: string) {
    super(problem);
    this.name = 'SpecProblem';
  }
}

/** A short, single-line preview of a value for messages. */
export function show(value: unknown, max = 60): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A FieldReader over one raw assertion object that remembers which keys were read. */
export class RawFields implements FieldReader {
  private readonly read = new Set<string>(['type', 'weight', 'label']);

  constructor(
    private readonly raw: Record<string, unknown>,
    readonly baseDir: string,
  ) {}

  get(key: string): unknown {
    this.read.add(key);
    return this.raw[key];
  }

  /** Whether the key is given at all (`null` counts: `equals: null` is a real check). */
  has(key: string): boolean {
    return this.raw[key] !== undefined;
  }

  fail(problem: string): never {
    throw new SpecProblem(problem);
  }

  /** Keys the type never asked for: typos such as `treshold`, or fields of another type. */
  unknownKeys(): string[] {
    return Object.keys(this.raw).filter((key) => !this.read.has(key) && this.raw[key] !== undefined);
  }
}

/** `value` as non-empty text; numbers and booleans are taken as their text. */
export function readText(fields: FieldReader, key = 'value'): string {
  const value = fields.get(key);
  if (value === undefined || value === null) fields.fail(`${key} is missing`);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') fields.fail(`${key} must be text, got ${show(value)}`);
  if (value === '') fields.fail(`${key} is empty`);
  return value;
}

/** A non-empty list of non-empty strings. */
export function readTextList(fields: FieldReader, key = 'value'): string[] {
  const value = fields.get(key);
  if (value === undefined || value === null) fields.fail(`${key} is missing`);
  if (!Array.isArray(value)) {
    fields.fail(`${key} must be a list such as ["a", "b"], got ${show(value)}`);
  }
  if (value.length === 0) fields.fail(`${key} is an empty list`);
  return value.map((item, i) => {
    if (typeof item === 'number') return String(item);
    if (typeof item !== 'string') fields.fail(`${key}[${i}] must be text, got ${show(item)}`);
    if (item === '') fields.fail(`${key}[${i}] is empty`);
    return item;
  });
}

/** A finite number within [min, max]. */
export function readNumber(
  fields: FieldReader,
  key: string,
  min: number,
  max = Number.POSITIVE_INFINITY,
): number {
  const value = fields.get(key);
  if (value === undefined || value === null) fields.fail(`${key} is missing`);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    fields.fail(`${key} must be a number, got ${show(value)}`);
  }
  if (value < min || value > max) {
    const range = max === Number.POSITIVE_INFINITY ? `≥ ${min}` : `between ${min} and ${max}`;
    fields.fail(`${key} must be ${range}, got ${value}`);
  }
  return value;
}

/** Any JSON value (the input came from JSON, YAML or a CSV cell, so anything else is a bug). */
export function readJson(fields: FieldReader, key: string): JsonValue {
  const value = fields.get(key);
  if (value === undefined) fields.fail(`${key} is missing`);
  if (!isJsonValue(value)) fields.fail(`${key} must be a JSON value, got ${show(value)}`);
  return value;
}

function isJsonValue(value: unknown): value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (typeof value === 'object') return Object.values(value as object).every(isJsonValue);
  return false;
}
