import { isAssertionColumn } from '../eval/assertions-api.js';
import { checkMessages, fillMessageTemplates } from './messages.js';
import { PARAM_COLUMNS, parseCell, readParam } from './params.js';
import type { RecordOrigin } from './raw-record.js';
import { preview, RowProblem, valueAsText } from './row-problem.js';
import { fillTemplate } from './template.js';
import type { ChatMessage, DatasetRow } from './types.js';

/** A row before the reader gives it its id and source. */
export type BuiltRow = Omit<DatasetRow, 'id' | 'source'> & { explicitId?: string };

const ROW_COLUMNS = new Set([
  'id',
  'custom_id',
  'prompt',
  'system',
  'messages',
  'params',
  'expected',
  'assert',
  'assertions',
  'threshold',
  'tags',
]);
// Columns that hold the text being templated; the rest of the row fills the templates.
const TEMPLATED_COLUMNS = new Set(['prompt', 'system', 'messages']);

/** Validates one record and turns it into a row; throws `RowProblem` naming what is wrong. */
export function buildRow(fields: Record<string, unknown>, origin: RecordOrigin): BuiltRow {
  // An empty CSV cell means "not given": CSV has no other way to leave a column out of one row.
  const given = (name: string): unknown => {
    const value = fields[name];
    if (value === null || (origin === 'csv' && value === '')) return undefined;
    return value;
  };
  const vars: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    // `assert:<type>` columns are checks on the answer (read.ts), not template variables.
    if (!ROW_COLUMNS.has(name) && !PARAM_COLUMNS.has(name) && !isAssertionColumn(name)) vars[name] = value;
  }
  const row: BuiltRow = {
    messages: buildMessages(given, origin, fields),
    params: buildParams(fields, given, origin),
    tags: readTags(given('tags')),
    vars,
  };
  const explicitId = readId(given);
  if (explicitId !== undefined) row.explicitId = explicitId;
  const expected = given('expected');
  if (expected !== undefined) row.expected = valueAsText(expected);
  const assertions = readAssertions(given, origin);
  if (assertions !== undefined) row.assertions = assertions;
  const threshold = readThreshold(given('threshold'));
  if (threshold !== undefined) row.threshold = threshold;
  return row;
}

function buildMessages(
  given: (name: string) => unknown,
  origin: RecordOrigin,
  fields: Record<string, unknown>,
): ChatMessage[] {
  const prompt = fields.prompt;
  const rawMessages = given('messages');
  if (rawMessages !== undefined && prompt !== undefined && given('prompt') !== undefined) {
    throw new RowProblem('the row has both prompt and messages: use one of them');
  }
  // Batch-API bodies are sent verbatim: `{{` there is the user's text, not a placeholder.
  const vars = origin === 'batch' ? undefined : templateVars(fields);
  if (rawMessages !== undefined) {
    if (given('system') !== undefined) {
      throw new RowProblem('the row has both system and messages: put the system prompt inside messages');
    }
    const messages = checkMessages(origin === 'csv' ? parseCell('messages', rawMessages) : rawMessages);
    return vars ? fillMessageTemplates(messages, vars) : messages;
  }
  if (prompt === undefined) {
    const columns = Object.keys(fields).join(', ') || 'none';
    throw new RowProblem(`the row has neither a prompt nor messages (its columns: ${columns})`);
  }
  if (typeof prompt !== 'string') throw new RowProblem(`prompt must be a string, got ${preview(prompt)}`);
  if (prompt.trim() === '') throw new RowProblem('the prompt is empty');
  const messages: ChatMessage[] = [];
  const system = given('system');
  if (system !== undefined) {
    if (typeof system !== 'string') throw new RowProblem(`system must be a string, got ${preview(system)}`);
    messages.push({ role: 'system', content: vars ? fillTemplate(system, vars, 'system') : system });
  }
  const filled = vars ? fillTemplate(prompt, vars, 'prompt') : prompt;
  if (filled.trim() === '') throw new RowProblem('the prompt is empty once its templates are filled');
  messages.push({ role: 'user', content: filled });
  return messages;
}

function templateVars(fields: Record<string, unknown>): Map<string, string> {
  const vars = new Map<string, string>();
  for (const [name, value] of Object.entries(fields)) {
    if (!TEMPLATED_COLUMNS.has(name)) vars.set(name, valueAsText(value));
  }
  return vars;
}

function buildParams(
  fields: Record<string, unknown>,
  given: (name: string) => unknown,
  origin: RecordOrigin,
): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  const nested = given('params');
  if (nested !== undefined) {
    const object = origin === 'csv' ? parseCell('params', nested) : nested;
    if (object === null || typeof object !== 'object' || Array.isArray(object)) {
      throw new RowProblem(`params must be a JSON object, got ${preview(nested)}`);
    }
    const nestedOrigin = origin === 'csv' ? 'json' : origin; // values inside parsed JSON keep their types
    for (const [key, value] of Object.entries(object)) {
      const param = readParam(key, value, nestedOrigin);
      if (param !== undefined) params[key] = param;
    }
  }
  for (const key of Object.keys(fields)) {
    if (!PARAM_COLUMNS.has(key)) continue;
    const param = readParam(key, fields[key], origin);
    if (param === undefined) continue;
    if (key in params) throw new RowProblem(`${key} is set both as a column and inside params: keep one`);
    params[key] = param;
  }
  return params;
}

function readId(given: (name: string) => unknown): string | undefined {
  const id = given('id');
  const customId = given('custom_id');
  if (id !== undefined && customId !== undefined && id !== customId) {
    throw new RowProblem(`the row has both id ${preview(id)} and custom_id ${preview(customId)}: keep one`);
  }
  const value = id ?? customId;
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  if (typeof value !== 'string' || value.trim() === '') {
    throw new RowProblem(`id must be a non-empty string, got ${preview(value)}`);
  }
  return value;
}

function readTags(value: unknown): string[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return splitTags(value);
  if (Array.isArray(value) && value.every((tag) => typeof tag === 'string' || typeof tag === 'number')) {
    return value.map(String).filter((tag) => tag !== '');
  }
  throw new RowProblem(`tags must be a string or an array of strings, got ${preview(value)}`);
}

/** `a, b`, `a;b` and `a|b` all mean the tags a and b. */
function splitTags(text: string): string[] {
  return text
    .split(/[,;|]/)
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

/** The weighted assertion score (0..1) the row must reach; CSV cells are text. */
function readThreshold(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number < 0 || number > 1) {
    throw new RowProblem(`threshold must be a number between 0 and 1, got ${preview(value)}`);
  }
  return number;
}

function readAssertions(given: (name: string) => unknown, origin: RecordOrigin): unknown[] | undefined {
  const assert = given('assert');
  const assertions = given('assertions');
  if (assert !== undefined && assertions !== undefined) {
    throw new RowProblem('the row has both assert and assertions: keep one');
  }
  const column = assert !== undefined ? 'assert' : 'assertions';
  const raw = assert ?? assertions;
  if (raw === undefined) return undefined;
  const value = origin === 'csv' ? parseCell(column, raw) : raw;
  return Array.isArray(value) ? value : [value];
}
