import type { RecordOrigin } from './raw-record.js';
import { preview, RowProblem } from './row-problem.js';

const NUMBER_PARAMS = [
  'max_tokens',
  'temperature',
  'top_p',
  'frequency_penalty',
  'presence_penalty',
  'n',
  'seed',
];
const INTEGER_PARAMS = new Set(['max_tokens', 'n', 'seed']);
const AT_LEAST_ONE_PARAMS = new Set(['max_tokens', 'n']);
const STRING_PARAMS = ['reasoning_format', 'reasoning_effort'];
const JSON_PARAMS = ['stop', 'response_format', 'tools', 'tool_choice'];

/**
 * Row columns that are per-row request params rather than template variables. `stream` is
 * deliberately absent: streaming belongs to the target, not to a row.
 */
export const PARAM_COLUMNS: ReadonlySet<string> = new Set([
  ...NUMBER_PARAMS,
  ...STRING_PARAMS,
  ...JSON_PARAMS,
]);

/**
 * A param value checked and typed, or `undefined` when the row leaves it unset (an empty CSV
 * cell, a JSON `null`). CSV cells are text and get parsed; JSON values must already have the
 * right type. Keys stepbench does not know (from a `params` object or a Batch-API body) are passed
 * through untouched: the server is the judge of those.
 */
export function readParam(key: string, value: unknown, origin: RecordOrigin): unknown {
  if (value === null || value === undefined) return undefined;
  if (origin === 'csv' && typeof value === 'string' && value.trim() === '') return undefined;
  if (NUMBER_PARAMS.includes(key)) return readNumber(key, value, origin);
  if (STRING_PARAMS.includes(key)) return readString(key, value);
  if (key === 'stop') return readStop(value, origin);
  if (key === 'response_format') return readJsonShaped(key, value, origin, 'object');
  if (key === 'tools') return readJsonShaped(key, value, origin, 'array');
  if (key === 'tool_choice') return readToolChoice(value, origin);
  return value;
}

function readNumber(key: string, value: unknown, origin: RecordOrigin): number {
  const number = origin === 'csv' && typeof value === 'string' ? Number(value.trim()) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) {
    throw new RowProblem(`${key} must be a number, got ${preview(value)}`);
  }
  if (INTEGER_PARAMS.has(key) && !Number.isInteger(number)) {
    throw new RowProblem(`${key} must be a whole number, got ${preview(value)}`);
  }
  if (AT_LEAST_ONE_PARAMS.has(key) && number < 1)
    throw new RowProblem(`${key} must be at least 1, got ${number}`);
  return number;
}

function readString(key: string, value: unknown): string {
  if (typeof value !== 'string') throw new RowProblem(`${key} must be a string, got ${preview(value)}`);
  return value;
}

function readStop(value: unknown, origin: RecordOrigin): string | string[] {
  if (typeof value === 'string') return value;
  if (origin !== 'csv' && Array.isArray(value) && value.every((item) => typeof item === 'string'))
    return value;
  throw new RowProblem(`stop must be a string or an array of strings, got ${preview(value)}`);
}

function readJsonShaped(
  key: string,
  value: unknown,
  origin: RecordOrigin,
  shape: 'object' | 'array',
): unknown {
  const parsed = origin === 'csv' ? parseCell(key, value) : value;
  const isArray = Array.isArray(parsed);
  const fits = shape === 'array' ? isArray : parsed !== null && typeof parsed === 'object' && !isArray;
  if (!fits) throw new RowProblem(`${key} must be a JSON ${shape}, got ${preview(value)}`);
  return parsed;
}

function readToolChoice(value: unknown, origin: RecordOrigin): unknown {
  if (typeof value === 'string' && !(origin === 'csv' && value.trim().startsWith('{'))) return value;
  return readJsonShaped('tool_choice', value, origin, 'object');
}

/** Parses a CSV cell that holds JSON (messages, assertions, tools, …). */
export function parseCell(column: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new RowProblem(`column ${column} must hold JSON: ${message}`);
  }
}
