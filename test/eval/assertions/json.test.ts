import { describe, expect, it } from 'vitest';
import { fails, invalid, passes, run } from './helpers.js';

describe('is-json', () => {
  it('passes on any JSON value, trimmed', async () => {
    expect((await passes({ type: 'is-json' }, ' {"a": 1}\n')).reason).toBe('output is JSON');
    await passes({ type: 'is-json' }, '[1, 2]');
    await passes({ type: 'is-json' }, '"text"');
  });

  it('fails with the parser’s reason, and says when a code fence is the cause', async () => {
    expect((await fails({ type: 'is-json' }, '{"a": 1')).reason).toMatch(/^output is not JSON: /);
    expect((await fails({ type: 'is-json' }, '```json\n{"a": 1}\n```')).reason).toBe(
      'output is JSON inside a Markdown code fence (```); bare JSON is required',
    );
    expect((await fails({ type: 'is-json' }, '  ')).reason).toBe('output is empty, not JSON');
  });

  it('not-is-json', async () => {
    await passes({ type: 'not-is-json' }, 'plain text');
    await fails({ type: 'not-is-json' }, '{}');
  });
});

const CITY = {
  type: 'object',
  required: ['city', 'population'],
  properties: { city: { type: 'string' }, population: { type: 'integer', minimum: 0 } },
  additionalProperties: false,
};

describe('json-schema', () => {
  it('validates the parsed output against the inline schema', async () => {
    expect(
      (await passes({ type: 'json-schema', value: CITY }, '{"city": "Paris", "population": 2100000}')).reason,
    ).toBe('output matches the JSON Schema');
  });

  it('names what does not match', async () => {
    const result = await fails({ type: 'json-schema', value: CITY }, '{"city": 1, "population": -5, "x": 0}');
    expect(result.reason).toContain('output does not match the JSON Schema: ');
    expect(result.reason).toContain('/city must be string');
    expect(result.reason).toContain('/population must be >= 0');
    expect(result.reason).toContain('must NOT have additional properties ("x")');
  });

  it('checks formats', async () => {
    const schema = { type: 'object', properties: { email: { type: 'string', format: 'email' } } };
    await passes({ type: 'json-schema', value: schema }, '{"email": "a@b.cn"}');
    expect((await fails({ type: 'json-schema', value: schema }, '{"email": "nope"}')).reason).toContain(
      '/email must match format "email"',
    );
  });

  it('reads a 2020-12 schema with its own keywords', async () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'array',
      prefixItems: [{ type: 'number' }, { type: 'string' }],
    };
    await passes({ type: 'json-schema', value: schema }, '[1, "a"]');
    await fails({ type: 'json-schema', value: schema }, '["a", 1]');
  });

  it('two rows may give different schemas the same $id', async () => {
    await passes({ type: 'json-schema', value: { $id: 'answer', type: 'string' } }, '"a"');
    await passes({ type: 'json-schema', value: { $id: 'answer', type: 'number' } }, '1');
  });

  it('an output that is not JSON fails, also under not-', async () => {
    expect((await fails({ type: 'json-schema', value: CITY }, 'Paris')).reason).toMatch(
      /^output is not JSON/,
    );
    const negated = await run({ type: 'not-json-schema', value: CITY }, 'Paris');
    expect(negated.pass).toBe(false);
    await passes({ type: 'not-json-schema', value: CITY }, '{"city": "Paris"}');
  });

  it('a bad schema is an input error at load', () => {
    expect(invalid([{ type: 'json-schema', value: { type: 'strin' } }])).toMatch(
      /^assert\[0\] \(json-schema\): bad JSON Schema: /,
    );
    expect(invalid([{ type: 'json-schema', value: [1] }])).toBe(
      'assert[0] (json-schema): value must be a JSON Schema object, got [1]',
    );
    expect(invalid([{ type: 'json-schema' }])).toBe(
      'assert[0] (json-schema): value is missing: give the JSON Schema inline',
    );
  });
});

describe('json-path', () => {
  const answer =
    '{"city": "Paris", "tags": ["capital", "seine"], "n": 2, "items": [{"name": "a"}, {"name": "b"}]}';

  it('equals: the value at the path, deep', async () => {
    expect((await passes({ type: 'json-path', path: '$.city', equals: 'Paris' }, answer)).reason).toBe(
      '$.city is "Paris"',
    );
    expect((await fails({ type: 'json-path', path: '$.city', equals: 'Lyon' }, answer)).reason).toBe(
      '$.city is "Paris", not "Lyon"',
    );
    await passes({ type: 'json-path', path: '$.n', equals: 2 }, answer);
    await fails({ type: 'json-path', path: '$.n', equals: '2' }, answer);
    await passes({ type: 'json-path', path: '$.tags', equals: ['capital', 'seine'] }, answer);
    await passes({ type: 'json-path', path: '$.x', equals: null }, '{"x": null}');
  });

  it('a path selecting several values compares their list', async () => {
    await passes({ type: 'json-path', path: '$.items[*].name', equals: ['a', 'b'] }, answer);
    await passes({ type: 'json-path', path: '$.items[?(@.name == "b")].name', equals: 'b' }, answer);
  });

  it('contains: substring of text, element of a list', async () => {
    await passes({ type: 'json-path', path: '$.city', contains: 'ari' }, answer);
    await passes({ type: 'json-path', path: '$.tags', contains: 'seine' }, answer);
    expect((await fails({ type: 'json-path', path: '$.tags', contains: 'loire' }, answer)).reason).toBe(
      '$.tags is ["capital","seine"], which does not contain "loire"',
    );
    expect((await fails({ type: 'json-path', path: '$.n', contains: 2 }, answer)).reason).toBe(
      '$.n is 2: contains needs text or a list there',
    );
  });

  it('no value at the path fails; so does an output that is not JSON', async () => {
    expect((await fails({ type: 'json-path', path: '$.country', equals: 'FR' }, answer)).reason).toBe(
      'output has no value at $.country',
    );
    expect((await fails({ type: 'json-path', path: '$.city', equals: 'Paris' }, 'Paris')).reason).toMatch(
      /^output is not JSON/,
    );
  });

  it('not-json-path', async () => {
    await passes({ type: 'not-json-path', path: '$.city', equals: 'Lyon' }, answer);
    await fails({ type: 'not-json-path', path: '$.city', equals: 'Paris' }, answer);
    expect((await run({ type: 'not-json-path', path: '$.city', equals: 'Lyon' }, 'not json')).pass).toBe(
      false,
    );
  });

  it('validates its shape at load', () => {
    expect(invalid([{ type: 'json-path', path: 'city', equals: 'Paris' }])).toBe(
      'assert[0] (json-path): path must start with $ (such as $.city or $.items[0].name), got "city"',
    );
    expect(invalid([{ type: 'json-path', path: '$.a[0', equals: 1 }])).toBe(
      'assert[0] (json-path): path "$.a[0" has unbalanced brackets or quotes',
    );
    expect(invalid([{ type: 'json-path', path: '$.a' }])).toBe(
      'assert[0] (json-path): give equals or contains: the value expected at the path',
    );
    expect(invalid([{ type: 'json-path', path: '$.a', equals: 1, contains: 1 }])).toBe(
      'assert[0] (json-path): give equals or contains, not both',
    );
    expect(invalid([{ type: 'json-path', path: '$.a', value: 1 }])).toMatch(
      /takes equals or contains, not value/,
    );
    expect(invalid([{ type: 'json-path', equals: 1 }])).toBe('assert[0] (json-path): path is missing');
    expect(invalid([{ type: 'json-path', path: '$..[?(@.x = 1)]', equals: 1 }])).toMatch(
      /^assert\[0\] \(json-path\): bad JSONPath "\$\.\.\[\?\(@\.x = 1\)\]": /,
    );
  });

  it('a filter that fails only on this output fails the assertion with the reason', async () => {
    // Passes the load-time probe (the filter never runs on it) but not the answer's data.
    const result = await fails(
      { type: 'json-path', path: '$.a[?(@.b.c = 1)]', equals: 1 },
      '{"a": [{"b": {"c": 1}}]}',
    );
    expect(result.reason).toMatch(/^\$\.a\[\?\(@\.b\.c = 1\)\] could not be evaluated: /);
  });
});
