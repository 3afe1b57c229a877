import { readTextList } from './spec-reader.js';
import { folded, nfc, outputPreview, quoted } from './text.js';
import type { AssertionType, ListSpec } from './types.js';

/**
 * `contains-any` / `contains-all` and their case-insensitive `icontains-` twins: the output
 * contains at least one / every value of the list. The reason names what was found or missing.
 */
export const containsList: AssertionType<ListSpec> = {
  kinds: ['contains-any', 'contains-all', 'icontains-any', 'icontains-all'],
  negatable: true,
  parse(_kind, fields) {
    return { value: readTextList(fields) };
  },
  check(spec, ctx) {
    const caseless = spec.kind.startsWith('i');
    const norm = caseless ? folded : nfc;
    const output = norm(ctx.output);
    const found = spec.value.filter((value) => output.includes(norm(value)));
    const missing = spec.value.filter((value) => !found.includes(value));
    const how = caseless ? ' (ignoring case)' : '';
    const preview = `(${caseless ? 'ignoring case; ' : ''}${outputPreview(ctx.output)})`;
    if (spec.kind.endsWith('-any')) {
      return found.length > 0
        ? { pass: true, reason: `output contains ${quoted(found)}${how}` }
        : {
            pass: false,
            reason: `output contains none of ${quoted(spec.value)} ${preview}`,
          };
    }
    return missing.length === 0
      ? { pass: true, reason: `output contains all of ${quoted(spec.value)}${how}` }
      : {
          pass: false,
          reason: `output is missing ${quoted(missing)} ${preview}`,
        };
  },
};
