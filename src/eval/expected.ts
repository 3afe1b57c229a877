import { UserError } from '../errors.js';
import { compileRegex, regexLiteral } from './assertions/regex.js';
import type { AssertionSpec } from './assertions/types.js';
import { type ValidateOptions, validateAssertions } from './assertions/validate.js';

/**
 * What a plain `expected` means: the answer must contain it, ignoring case, after trimming the
 * expected text (`icontains`); written as `/pattern/flags` (flags among JavaScript's) it is a regex. Chat answers
 * rarely equal a reference word for word ("Paris." / "The capital is Paris"), so equality would
 * fail most right answers; a case-insensitive containment is what most people mean by it.
 * For anything else write an explicit assertion.
 */
export function expectedAssertion(expected: string, where = 'expected'): AssertionSpec {
  const text = expected.trim();
  if (text === '') throw new UserError(`${where} is empty: leave it out or give the expected answer`);
  const literal = regexLiteral(text);
  // Only JavaScript flag letters after the last slash: `/path/to` is a path, not /path/ with flags "to".
  if (literal && /^[dgimsuvy]*$/.test(literal.flags)) {
    compileRegex(literal.pattern, literal.flags, (problem) => {
      throw new UserError(`${where} ${JSON.stringify(text)} reads as a regex: ${problem}`);
    });
    return {
      type: 'regex',
      kind: 'regex',
      negate: false,
      weight: 1,
      value: literal.pattern,
      flags: literal.flags,
    };
  }
  return { type: 'icontains', kind: 'icontains', negate: false, weight: 1, value: text };
}

/**
 * A row's own assertions: the one its `expected` implies (first), then its `assert` list. Both
 * are checked now, before any request; the caller adds file and line to a UserError.
 */
export function rowAssertions(
  row: { expected?: string | undefined; assertions?: unknown },
  options: ValidateOptions = {},
): AssertionSpec[] {
  const fromExpected = row.expected === undefined ? [] : [expectedAssertion(row.expected)];
  return [...fromExpected, ...validateAssertions(row.assertions, options)];
}
