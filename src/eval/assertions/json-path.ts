import { JSONPath } from 'jsonpath-plus';
import { jsonEqual, parseOutputJson, showJson } from './json-output.js';
import { readJson, readText } from './spec-reader.js';
import type { AssertionType, FieldReader, JsonPathSpec, JsonValue } from './types.js';

/**
 * The values at `path`. jsonpath-plus in its `safe` filter mode (no JavaScript `eval`); the
 * matches are returned as a list.
 */
function query(path: string, json: JsonValue): JsonValue[] {
  return JSONPath({ path, json, wrap: true, eval: 'safe' }) as JsonValue[];
}

function checkPath(path: string, fail: FieldReader['fail']): void {
  if (!path.startsWith('$'))
    fail(`path must start with $ (such as $.city or $.items[0].name), got "${path}"`);
  let depth = 0;
  let quote = '';
  for (const char of path) {
    if (quote !== '') {
      if (char === quote) quote = '';
      continue;
    }
    if (char === "'" || char === '"') quote = char;
    if (char === '[' || char === '(') depth++;
    if (char === ']' || char === ')') depth--;
    if (depth < 0) break;
  }
  if (depth !== 0 || quote !== '') fail(`path "${path}" has unbalanced brackets or quotes`);
  try {
    query(path, { probe: [{ probe: 0 }] });
  } catch (error) {
    fail(`bad JSONPath "${path}": ${(error as Error).message}`);
  }
}

/**
 * `json-path`: the output, trimmed, is JSON, and the value at `path` `equals` the given JSON value
 * (deep, key order aside) or `contains` it (text: substring; list: one element equals it). A path
 * that selects one value compares that value; one that selects several (`$.items[*].name`)
 * compares the list of them. No value at the path fails.
 */
export const jsonPath: AssertionType<JsonPathSpec> = {
  kinds: ['json-path'],
  negatable: true,
  parse(_kind, fields) {
    const path = readText(fields, 'path');
    checkPath(path, fields.fail.bind(fields));
    const hasEquals = fields.has('equals');
    const hasContains = fields.has('contains');
    if (fields.has('value')) {
      fields.fail(
        'json-path takes equals or contains, not value: {type: json-path, path: "$.city", equals: "Paris"}',
      );
    }
    if (hasEquals === hasContains) {
      fields.fail(
        hasEquals
          ? 'give equals or contains, not both'
          : 'give equals or contains: the value expected at the path',
      );
    }
    if (hasEquals) return { path, equals: readJson(fields, 'equals') };
    const contains = readJson(fields, 'contains');
    if (contains === '') fields.fail('contains is empty');
    return { path, contains };
  },
  check(spec, ctx) {
    const parsed = parseOutputJson(ctx.output);
    if (!parsed.ok) return { pass: false, reason: parsed.reason, undecided: true };
    let matches: JsonValue[];
    try {
      matches = query(spec.path, parsed.value);
    } catch (error) {
      return {
        pass: false,
        reason: `${spec.path} could not be evaluated: ${(error as Error).message}`,
        undecided: true,
      };
    }
    if (matches.length === 0) return { pass: false, reason: `output has no value at ${spec.path}` };
    const found = matches.length === 1 ? (matches[0] as JsonValue) : matches;
    const at = `${spec.path} is ${showJson(found)}`;
    if (spec.equals !== undefined) {
      return jsonEqual(found, spec.equals)
        ? { pass: true, reason: `${at}` }
        : { pass: false, reason: `${at}, not ${showJson(spec.equals)}` };
    }
    const want = spec.contains as JsonValue;
    if (typeof found === 'string') {
      const text = typeof want === 'string' ? want : JSON.stringify(want);
      return found.includes(text)
        ? { pass: true, reason: `${at}, which contains ${showJson(text)}` }
        : { pass: false, reason: `${at}, which does not contain ${showJson(text)}` };
    }
    if (Array.isArray(found)) {
      return found.some((item) => jsonEqual(item, want))
        ? { pass: true, reason: `${at}, which contains ${showJson(want)}` }
        : { pass: false, reason: `${at}, which does not contain ${showJson(want)}` };
    }
    return { pass: false, reason: `${at}: contains needs text or a list there`, undecided: true };
  },
};
