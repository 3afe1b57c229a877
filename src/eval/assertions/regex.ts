import { readText, show } from './spec-reader.js';
import { outputPreview } from './text.js';
import type { AssertionType, FieldReader, RegexSpec } from './types.js';

/** `/pattern/flags` as one string. */
const LITERAL = /^\/(.+)\/([a-z]*)$/s;
const ALLOWED_FLAGS = new Set(['i', 'm', 's', 'u', 'v', 'd']);

/** Splits `/pattern/flags` into its parts, or undefined when the text is not slash-delimited. */
export function regexLiteral(text: string): { pattern: string; flags: string } | undefined {
  const match = LITERAL.exec(text);
  if (!match) return undefined;
  return { pattern: match[1] as string, flags: match[2] as string };
}

/** Checks flags and compiles once, so a bad pattern is an input error before any request. */
export function compileRegex(pattern: string, flags: string, fail: FieldReader['fail']): RegExp {
  for (const flag of flags) {
    if (flag === 'g' || flag === 'y') {
      fail(`regex flag '${flag}' makes a match test depend on earlier tests; leave it out`);
    }
    if (!ALLOWED_FLAGS.has(flag)) fail(`unknown regex flag '${flag}' (allowed: i, m, s, u, v, d)`);
  }
  if (new Set(flags).size !== flags.length) fail(`regex flags ${show(flags)} repeat a flag`);
  try {
    return new RegExp(pattern, flags);
  } catch (error) {
    // V8 says "Invalid regular expression: /(/: Unterminated group"; keep the part after the pattern.
    const detail = (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
    return fail(`bad regex /${pattern}/${flags}: ${detail}`);
  }
}

// Compiled patterns by flags/pattern; cleared when full so a million distinct rows stay bounded.
const compiled = new Map<string, RegExp>();
const MAX_COMPILED = 1000;

function regexOf(spec: RegexSpec): RegExp {
  const key = `${spec.flags}/${spec.value}`;
  let regex = compiled.get(key);
  if (!regex) {
    regex = new RegExp(spec.value, spec.flags);
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(key, regex);
  }
  return regex;
}

/**
 * `regex`: the pattern matches somewhere in the output (anchor it with ^…$ for a whole match).
 * `value` is a pattern (`^Paris\b`) or a literal with flags (`/^paris\b/i`); `flags` may be given
 * separately instead. JavaScript regex syntax.
 */
export const regex: AssertionType<RegexSpec> = {
  kinds: ['regex'],
  negatable: true,
  parse(_kind, fields) {
    const text = readText(fields);
    const literal = regexLiteral(text);
    const flagsField = fields.get('flags');
    if (flagsField !== undefined && typeof flagsField !== 'string') {
      fields.fail(`flags must be text such as "i", got ${show(flagsField)}`);
    }
    if (literal && flagsField !== undefined) {
      fields.fail(`give the flags once: either /…/${literal.flags} in value or flags: "${flagsField}"`);
    }
    const pattern = literal ? literal.pattern : text;
    const flags = literal ? literal.flags : ((flagsField as string | undefined) ?? '');
    compileRegex(pattern, flags, fields.fail.bind(fields));
    return { value: pattern, flags };
  },
  check(spec, ctx) {
    const shown = `/${spec.value}/${spec.flags}`;
    const match = regexOf(spec).exec(ctx.output);
    return match
      ? { pass: true, reason: `output matches ${shown} (at ${show(match[0], 40)})` }
      : { pass: false, reason: `output does not match ${shown} (${outputPreview(ctx.output)})` };
  },
};
