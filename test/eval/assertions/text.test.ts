import { describe, expect, it } from 'vitest';
import { fails, passes, run } from './helpers.js';

describe('equals', () => {
  it('compares text after trimming both sides; case and inner spacing count', async () => {
    expect((await passes({ type: 'equals', value: 'Paris' }, '  Paris\n')).reason).toBe(
      'output equals "Paris"',
    );
    const miss = await fails({ type: 'equals', value: 'Paris' }, 'paris');
    expect(miss.reason).toBe('output does not equal "Paris" (output: "paris")');
    await fails({ type: 'equals', value: 'New York' }, 'New  York');
  });

  it('compares a non-text value with the output parsed as JSON, key order aside', async () => {
    await passes({ type: 'equals', value: { a: 1, b: [true, null] } }, '{"b": [true, null], "a": 1}');
    await passes({ type: 'equals', value: 42 }, ' 42 ');
    expect((await fails({ type: 'equals', value: { a: 1 } }, '{"a": 2}')).reason).toBe(
      'output {"a":2} does not equal {"a":1} as JSON',
    );
    expect((await fails({ type: 'equals', value: [1] }, 'not json')).reason).toMatch(/^output is not JSON/);
  });

  it('matches composed and decomposed accents alike', async () => {
    await passes({ type: 'equals', value: 'Café' }, 'Cafe\u0301');
  });

  it('not-equals flips pass and score', async () => {
    const result = await passes({ type: 'not-equals', value: 'Paris' }, 'Lyon');
    expect(result).toMatchObject({ type: 'not-equals', score: 1 });
    expect((await fails({ type: 'not-equals', value: 'Paris' }, 'Paris')).reason).toBe(
      'output equals "Paris"',
    );
  });
});

describe('contains / icontains', () => {
  it('contains is case-sensitive', async () => {
    expect((await passes({ type: 'contains', value: 'Paris' }, 'It is Paris.')).reason).toBe(
      'output contains "Paris"',
    );
    expect((await fails({ type: 'contains', value: 'Paris' }, 'it is paris')).reason).toBe(
      'output does not contain "Paris" (output: "it is paris")',
    );
  });

  it('icontains ignores case', async () => {
    expect((await passes({ type: 'icontains', value: 'PARIS' }, 'it is paris')).reason).toBe(
      'output contains "PARIS" (ignoring case)',
    );
    expect((await fails({ type: 'icontains', value: 'Lyon' }, 'it is paris')).reason).toBe(
      'output does not contain "Lyon" (ignoring case; output: "it is paris")',
    );
  });

  it('takes a number as its text', async () => {
    await passes({ type: 'contains', value: 42 }, 'The answer is 42.');
  });

  it('not-contains and not-icontains', async () => {
    await passes({ type: 'not-contains', value: 'Sorry' }, 'sorry, no');
    const result = await fails({ type: 'not-icontains', value: 'Sorry' }, 'sorry, no');
    expect(result).toMatchObject({
      type: 'not-icontains',
      score: 0,
      reason: 'output contains "Sorry" (ignoring case)',
    });
  });

  it('shortens a long output in the reason', async () => {
    const result = await fails({ type: 'contains', value: 'x' }, `${'a'.repeat(200)}\n\nb`);
    expect(result.reason.length).toBeLessThan(130);
    expect(result.reason).toMatch(/…"\)$/);
    expect((await fails({ type: 'contains', value: 'x' }, '')).reason).toBe(
      'output does not contain "x" (output is empty)',
    );
  });
});

describe('contains-any / contains-all and the icontains twins', () => {
  it('contains-any passes on one value and names it', async () => {
    expect((await passes({ type: 'contains-any', value: ['Paris', 'Lyon'] }, 'Lyon it is')).reason).toBe(
      'output contains "Lyon"',
    );
    expect((await fails({ type: 'contains-any', value: ['Paris', 'Lyon'] }, 'lyon')).reason).toMatch(
      /^output contains none of "Paris", "Lyon"/,
    );
  });

  it('contains-all names what is missing', async () => {
    await passes({ type: 'contains-all', value: ['Paris', 'Seine'] }, 'Paris on the Seine');
    expect(
      (await fails({ type: 'contains-all', value: ['Paris', 'Seine'] }, 'Paris on the seine')).reason,
    ).toMatch(/^output is missing "Seine"/);
  });

  it('icontains-any / icontains-all ignore case', async () => {
    await passes({ type: 'icontains-any', value: ['PARIS', 'lyon'] }, 'paris');
    await fails({ type: 'icontains-any', value: ['Rome'] }, 'paris');
    await passes({ type: 'icontains-all', value: ['PARIS', 'seine'] }, 'Paris, Seine');
    expect((await fails({ type: 'icontains-all', value: ['PARIS', 'Loire'] }, 'Paris, Seine')).reason).toBe(
      'output is missing "Loire" (ignoring case; output: "Paris, Seine")',
    );
  });

  it('not- variants', async () => {
    await passes({ type: 'not-contains-any', value: ['Sorry', 'cannot'] }, 'Paris');
    await fails({ type: 'not-contains-any', value: ['Sorry', 'cannot'] }, 'I cannot');
    await passes({ type: 'not-contains-all', value: ['a', 'b'] }, 'only a');
    await fails({ type: 'not-icontains-all', value: ['A', 'B'] }, 'a and b');
    await passes({ type: 'not-icontains-any', value: ['X'] }, 'y');
  });
});

describe('starts-with', () => {
  it('ignores the output’s leading whitespace, not case', async () => {
    await passes({ type: 'starts-with', value: 'Yes' }, '\n  Yes, it is.');
    expect((await fails({ type: 'starts-with', value: 'Yes' }, 'yes')).reason).toBe(
      'output does not start with "Yes" (output: "yes")',
    );
    await passes({ type: 'not-starts-with', value: 'Sorry' }, 'Yes');
    await fails({ type: 'not-starts-with', value: 'Sorry' }, 'Sorry, no');
  });
});

describe('regex', () => {
  it('matches anywhere; the reason shows the match', async () => {
    expect((await passes({ type: 'regex', value: '\\d{2}' }, 'about 42 of them')).reason).toBe(
      'output matches /\\d{2}/ (at "42")',
    );
    await fails({ type: 'regex', value: '^\\d+$' }, 'about 42');
  });

  it('takes flags in a /…/ literal or as a field', async () => {
    await passes({ type: 'regex', value: '/^paris\\b/i' }, 'Paris!');
    await passes({ type: 'regex', value: '^paris', flags: 'i' }, 'PARIS');
    await fails({ type: 'regex', value: '^paris' }, 'PARIS');
    await passes({ type: 'regex', value: '/a.b/s' }, 'a\nb');
  });

  it('gives the same answer on every call (no lastIndex state)', async () => {
    for (let i = 0; i < 3; i++) await passes({ type: 'regex', value: 'a' }, 'a');
  });

  it('not-regex', async () => {
    await passes({ type: 'not-regex', value: '/sorry/i' }, 'Paris');
    const result = await run({ type: 'not-regex', value: '/sorry/i' }, 'Sorry.');
    expect(result).toMatchObject({ pass: false, score: 0, reason: 'output matches /sorry/i (at "Sorry")' });
  });
});
