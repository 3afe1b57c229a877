import { readText, readTextList } from './spec-reader.js';
import { quoted } from './text.js';
import type { AssertionType, FinishReasonSpec } from './types.js';

/**
 * `finish-reason`: the server's finish reason is the value (`stop`, `length`, `tool_calls`,
 * `content_filter`) or one of a list of them. A reply without a finish reason fails.
 */
export const finishReason: AssertionType<FinishReasonSpec> = {
  kinds: ['finish-reason'],
  negatable: true,
  parse(_kind, fields) {
    const value = fields.get('value');
    return { value: Array.isArray(value) ? readTextList(fields) : [readText(fields)] };
  },
  check(spec, ctx) {
    const wanted = spec.value.length === 1 ? quoted(spec.value) : `one of ${quoted(spec.value)}`;
    if (ctx.finishReason === undefined || ctx.finishReason === '') {
      return { pass: false, reason: `no finish reason was reported (wanted ${wanted})`, undecided: true };
    }
    return spec.value.includes(ctx.finishReason)
      ? { pass: true, reason: `finish reason is ${quoted([ctx.finishReason])}` }
      : { pass: false, reason: `finish reason is ${quoted([ctx.finishReason])}, not ${wanted}` };
  },
};
