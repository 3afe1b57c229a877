import { readNumber } from './spec-reader.js';
import type { AssertionType, MaxTokensSpec } from './types.js';

/**
 * `max-tokens`: the reply's completion tokens are at most the value. Counts stepbench estimated
 * (the server sent no usage) are used and the reason says so; a reply without a count fails.
 */
export const maxTokens: AssertionType<MaxTokensSpec> = {
  kinds: ['max-tokens'],
  negatable: false,
  parse(_kind, fields) {
    const value = readNumber(fields, 'value', 0);
    if (!Number.isInteger(value)) fields.fail(`value must be a whole number of tokens, got ${value}`);
    return { value };
  },
  check(spec, ctx) {
    const tokens = ctx.usage?.completionTokens;
    if (tokens === undefined || !Number.isFinite(tokens)) {
      return { pass: false, reason: 'completion tokens unknown', undecided: true };
    }
    const how = ctx.usage?.source === 'estimated' ? ' (estimated: the server reported no usage)' : '';
    return tokens <= spec.value
      ? { pass: true, reason: `${tokens} completion tokens ≤ ${spec.value}${how}` }
      : { pass: false, reason: `${tokens} completion tokens > ${spec.value}${how}` };
  },
};
