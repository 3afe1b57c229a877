import { UserError } from '../../errors.js';
import { closest } from '../string-similarity.js';
import { assertionType, isAssertionKind, unknownKindHint } from './index.js';
import { RawFields, SpecProblem, show } from './spec-reader.js';
import type { AssertionSpec, SpecCommon } from './types.js';

export interface ValidateOptions {
  /** Directory that relative `file:` references resolve against: the dataset's or the config's. */
  baseDir?: string;
  /**
   * Names the list in messages (`assert`, `defaults`, `targets.fast.assert`); the caller adds the
   * file and line. Default `assert`.
   */
  where?: string;
}

/** Reads `type`, `not-`, `weight` and `label`, then hands the rest to the type's module. */
function validateOne(raw: unknown, where: string, baseDir: string): AssertionSpec {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new UserError(
      `${where}: an assertion must be an object such as {"type": "contains", "value": "Paris"}, got ${show(raw)}`,
    );
  }
  const record = raw as Record<string, unknown>;
  const written = record.type;
  if (typeof written !== 'string' || written.trim() === '') {
    throw new UserError(`${where}: the assertion has no type (${show(raw)})`);
  }
  const type = written.trim().toLowerCase();
  const negate = type.startsWith('not-');
  const kind = negate ? type.slice(4) : type;
  const label = `${where} (${type})`;
  if (!isAssertionKind(kind)) throw new UserError(`${where}: ${unknownKindHint(kind)}`);
  const module = assertionType(kind);
  if (negate && !module.negatable) {
    throw new UserError(
      `${label}: ${kind} cannot be negated: an unknown value would pass; write the bound you want with ${kind}`,
    );
  }
  const common: SpecCommon = { type, negate, weight: 1 };
  try {
    const fields = new RawFields(record, baseDir);
    if (record.weight !== undefined) {
      const weight = record.weight;
      if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
        throw new SpecProblem(`weight must be a number ≥ 0, got ${show(weight)}`);
      }
      common.weight = weight;
    }
    if (record.label !== undefined) {
      if (typeof record.label !== 'string' || record.label === '') {
        throw new SpecProblem(`label must be non-empty text, got ${show(record.label)}`);
      }
      common.label = record.label;
    }
    const own = module.parse(kind, fields);
    const unknown = fields.unknownKeys();
    if (unknown.length > 0) {
      const known = Object.keys(record).filter((key) => !unknown.includes(key));
      const first = unknown[0] as string;
      const near = closest(first, [
        ...known,
        'value',
        'weight',
        'label',
        'threshold',
        'flags',
        'path',
        'equals',
        'contains',
        'method',
        'config',
      ]);
      const hint = near && near !== first ? ` (did you mean "${near}"?)` : '';
      throw new SpecProblem(
        `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} for ${kind}${hint}`,
      );
    }
    return { ...common, kind, ...own } as AssertionSpec;
  } catch (error) {
    if (error instanceof SpecProblem) throw new UserError(`${label}: ${error.message}`);
    throw error;
  }
}

/**
 * Validates a list of assertions as written in a dataset row or the config (before any request)
 * and returns them normalised. Accepts a list, one assertion object, or nothing (`[]`). Throws a
 * UserError such as `assert[1] (regex): bad regex /(/: Unterminated group`; the caller prefixes
 * the file and line.
 */
export function validateAssertions(specs: unknown, options: ValidateOptions = {}): AssertionSpec[] {
  const where = options.where ?? 'assert';
  const baseDir = options.baseDir ?? process.cwd();
  if (specs === undefined || specs === null) return [];
  const list = Array.isArray(specs) ? specs : [specs];
  return list.map((raw, i) => validateOne(raw, `${where}[${i}]`, baseDir));
}

/** One assertion; `where` names it in messages (a CSV column, say). */
export function validateAssertion(raw: unknown, options: ValidateOptions & { where: string }): AssertionSpec {
  return validateOne(raw, options.where, options.baseDir ?? process.cwd());
}

/** A row threshold: a number between 0 and 1 (the weighted score the row must reach). */
export function validateThreshold(value: unknown, where = 'threshold'): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number < 0 || number > 1) {
    throw new UserError(
      `${where} must be a number between 0 and 1 (the weighted share of assertions to pass), got ${show(value)}`,
    );
  }
  return number;
}
