import { readText, show } from './spec-reader.js';
import { folded, nfc, outputPreview } from './text.js';
import type { AssertionType, TextSpec } from './types.js';

/**
 * `contains` (case-sensitive) and `icontains` (case-insensitive): the value, as written with its
 * spaces, occurs in the output.
 */
export const contains: AssertionType<TextSpec> = {
  kinds: ['contains', 'icontains'],
  negatable: true,
  parse(_kind, fields) {
    return { value: readText(fields) };
  },
  check(spec, ctx) {
    const want = show(spec.value);
    const found =
      spec.kind === 'icontains'
        ? folded(ctx.output).includes(folded(spec.value))
        : nfc(ctx.output).includes(nfc(spec.value));
    const caseless = spec.kind === 'icontains';
    const how = caseless ? ' (ignoring case)' : '';
    const preview = `(${caseless ? 'ignoring case; ' : ''}${outputPreview(ctx.output)})`;
    return found
      ? { pass: true, reason: `output contains ${want}${how}` }
      : { pass: false, reason: `output does not contain ${want} ${preview}` };
  },
};
