import { parseOutputJson } from './json-output.js';
import type { AssertionType, IsJsonSpec } from './types.js';

/** `is-json`: the output, trimmed, parses as JSON (any JSON value). No value. */
export const isJson: AssertionType<IsJsonSpec> = {
  kinds: ['is-json'],
  negatable: true,
  parse(_kind, fields) {
    const value = fields.get('value');
    if (value !== undefined && value !== null && value !== true) {
      fields.fail('is-json takes no value; to check the shape use json-schema with the schema as value');
    }
    return {};
  },
  check(_spec, ctx) {
    const parsed = parseOutputJson(ctx.output);
    return parsed.ok ? { pass: true, reason: 'output is JSON' } : { pass: false, reason: parsed.reason };
  },
};
