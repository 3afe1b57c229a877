import { UserError } from '../errors.js';
import type { AssertionSpec } from './assertions/types.js';
import { validateAssertion } from './assertions/validate.js';

/** Every assertion column starts with this (case-insensitive). */
export const ASSERT_COLUMN_PREFIX = 'assert:';

// assert:[not-]<type>[(<argument>)][#<label>]
const COLUMN = /^assert:\s*([a-z][a-z0-9-]*)\s*(?:\((.*)\))?\s*(?:#(.*))?$/i;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const ON = new Set(['true', 'yes', '1', 'x']);
const OFF = new Set(['false', 'no', '0']);

/** Whether a CSV column is an assertion column (and so not a template variable). */
export function isAssertionColumn(name: string): boolean {
  return name.trim().toLowerCase().startsWith(ASSERT_COLUMN_PREFIX);
}

/** `a|b|c` → ["a", "b", "c"] (trimmed, empty parts dropped); a cell starting with `[` is a JSON list. */
function cellList(cell: string, fail: (problem: string) => never): unknown {
  const text = cell.trim();
  if (text.startsWith('[')) {
    try {
      return JSON.parse(text);
    } catch (error) {
      return fail(`the cell starts with [ but is not a JSON list: ${(error as Error).message}`);
    }
  }
  return text
    .split('|')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

function cellJson(cell: string, fail: (problem: string) => never): unknown {
  try {
    return JSON.parse(cell);
  } catch (error) {
    return fail(`the cell is not JSON: ${(error as Error).message}`);
  }
}

/** JSON when the cell parses as JSON (`42`, `true`, `"42"`, `[1]`), else the text itself. */
function cellJsonOrText(cell: string): unknown {
  try {
    return JSON.parse(cell);
  } catch {
    return cell;
  }
}

/** A number cell as a number; anything else is passed on for the type to reject with the text. */
function cellNumber(cell: string): unknown {
  const text = cell.trim();
  return NUMBER.test(text) ? Number(text) : text;
}

function similarityArgument(
  argument: string,
  raw: Record<string, unknown>,
  fail: (problem: string) => never,
): void {
  for (const part of argument.split(',').map((item) => item.trim())) {
    if (part === 'levenshtein' || part === 'jaccard') raw.method = part;
    else if (NUMBER.test(part)) raw.threshold = Number(part);
    else fail(`"${part}" in (…) is neither a threshold such as 0.9 nor levenshtein/jaccard`);
  }
}

/** The raw assertion one column and its cell describe, or undefined when the cell turns it off. */
function rawFromColumn(column: string, cell: string): Record<string, unknown> | undefined {
  const fail = (problem: string): never => {
    throw new UserError(`column "${column}": ${problem}`);
  };
  const match = COLUMN.exec(column.trim());
  if (!match) {
    fail(
      'an assertion column is assert:<type>, assert:<type>(<argument>) or assert:<type>#<label>, such as assert:contains or assert:similarity(0.9)',
    );
  }
  const [, typeText, argument, label] = match as unknown as [
    string,
    string,
    string | undefined,
    string | undefined,
  ];
  const type = typeText.toLowerCase();
  const kind = type.startsWith('not-') ? type.slice(4) : type;
  const raw: Record<string, unknown> = { type };
  if (label !== undefined && label.trim() !== '') raw.label = label.trim();
  if (argument !== undefined && kind !== 'similarity' && kind !== 'json-path') {
    fail(`${kind} takes no (…) argument; only similarity(<threshold>) and json-path(<path>) do`);
  }
  switch (kind) {
    case 'contains-any':
    case 'contains-all':
    case 'icontains-any':
    case 'icontains-all':
      raw.value = cellList(cell, fail);
      break;
    case 'finish-reason': {
      const list = cellList(cell, fail);
      raw.value = Array.isArray(list) && list.length === 1 ? list[0] : list;
      break;
    }
    case 'is-json': {
      const flag = cell.trim().toLowerCase();
      if (OFF.has(flag)) return undefined;
      if (!ON.has(flag)) fail(`write true or false in an is-json column, got "${cell}"`);
      break;
    }
    case 'json-schema':
      raw.value = cellJson(cell, fail);
      break;
    case 'json-path':
      if (argument === undefined || argument.trim() === '')
        return fail('write the path in the column name: assert:json-path($.city)');
      raw.path = argument.trim();
      raw.equals = cellJsonOrText(cell);
      break;
    case 'max-tokens':
    case 'max-cost':
    case 'max-ttft':
    case 'max-e2e':
      raw.value = cellNumber(cell);
      break;
    case 'similarity':
      raw.value = cell;
      if (argument !== undefined) similarityArgument(argument, raw, fail);
      break;
    default:
      raw.value = cell;
  }
  return raw;
}

/**
 * The assertions a CSV record's `assert:` columns declare, in column order; other columns are
 * ignored and so are empty cells (not given). Each column is validated like a JSON assertion; a
 * problem is a UserError naming the column (the caller adds file and line). Grammar in
 * docs/assertions.md.
 */
export function assertionsFromColumns(
  record: Record<string, string>,
  options: { baseDir?: string } = {},
): AssertionSpec[] {
  const specs: AssertionSpec[] = [];
  for (const [column, cell] of Object.entries(record)) {
    if (!isAssertionColumn(column) || cell === undefined || cell === '') continue;
    const raw = rawFromColumn(column, cell);
    if (raw === undefined) continue;
    const where = `column "${column}"`;
    specs.push(
      validateAssertion(raw, options.baseDir === undefined ? { where } : { where, baseDir: options.baseDir }),
    );
  }
  return specs;
}
