import { jsonEqual, parseOutputJson, showJson } from './json-output.js';
import { readJson, show } from './spec-reader.js';
import { nfc, outputPreview } from './text.js';
import type { AssertionType, EqualsSpec } from './types.js';

/**
 * `equals`: a text value equals the output with surrounding whitespace trimmed on both sides
 * (case and inner spacing count). A non-text value (number, object, list, true/false/null) is
 * compared with the output parsed as JSON, object key order aside.
 */
export const equals: AssertionType<EqualsSpec> = {
  kinds: ['equals'],
  negatable: true,
  parse(_kind, fields) {
    const value = readJson(fields, 'value');
    if (value === '' || (typeof value === 'string' && value.trim() === '')) {
      fields.fail('value is empty: an answer never equals nothing; use is-json or a regex for shape checks');
    }
    return { value };
  },
  check(spec, ctx) {
    if (typeof spec.value === 'string') {
      const want = nfc(spec.value.trim());
      return nfc(ctx.output.trim()) === want
        ? { pass: true, reason: `output equals ${show(want)}` }
        : { pass: false, reason: `output does not equal ${show(want)} (${outputPreview(ctx.output)})` };
    }
    const parsed = parseOutputJson(ctx.output);
    if (!parsed.ok) return { pass: false, reason: parsed.reason, undecided: true };
    return jsonEqual(parsed.value, spec.value)
      ? { pass: true, reason: `output equals ${showJson(spec.value)} as JSON` }
      : {
          pass: false,
          reason: `output ${showJson(parsed.value)} does not equal ${showJson(spec.value)} as JSON`,
        };
  },
};
