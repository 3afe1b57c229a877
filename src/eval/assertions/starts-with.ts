import { readText, show } from './spec-reader.js';
import { nfc, outputPreview } from './text.js';
import type { AssertionType, TextSpec } from './types.js';

/** `starts-with`: case-sensitive; leading whitespace of the output is ignored, the value's is not. */
export const startsWith: AssertionType<TextSpec> = {
  kinds: ['starts-with'],
  negatable: true,
  parse(_kind, fields) {
    return { value: readText(fields) };
  },
  check(spec, ctx) {
    const want = show(spec.value);
    return nfc(ctx.output.trimStart()).startsWith(nfc(spec.value))
      ? { pass: true, reason: `output starts with ${want}` }
      : { pass: false, reason: `output does not start with ${want} (${outputPreview(ctx.output)})` };
  },
};
