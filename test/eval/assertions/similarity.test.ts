import { describe, expect, it } from 'vitest';
import {
  closest,
  jaccardSimilarity,
  levenshteinDistance,
  levenshteinSimilarity,
  wordSet,
} from '../../../src/eval/string-similarity.js';
import { fails, invalid, passes, run } from './helpers.js';

describe('string similarity', () => {
  it('levenshtein distance on known pairs, by code point', () => {
    expect(levenshteinDistance('kitten', 'sitting')).toBe(3);
    expect(levenshteinDistance('', 'abc')).toBe(3);
    expect(levenshteinDistance('flaw', 'lawn')).toBe(2);
    expect(levenshteinDistance('北京', '南京')).toBe(1);
    expect(levenshteinDistance('a😀b', 'ab')).toBe(1);
  });

  it('levenshtein similarity is 1 − d / longer length, ignoring case and whitespace runs', () => {
    expect(levenshteinSimilarity('kitten', 'sitting')).toBeCloseTo(1 - 3 / 7, 12);
    expect(levenshteinSimilarity('  Paris\n', 'paris')).toBe(1);
    expect(levenshteinSimilarity('a  b', 'A b')).toBe(1);
    expect(levenshteinSimilarity('', '')).toBe(1);
    expect(levenshteinSimilarity('abc', '')).toBe(0);
  });

  it('jaccard over word sets, CJK segmented into words', () => {
    expect(jaccardSimilarity('the cat sat', 'The cat sat down')).toBeCloseTo(3 / 4, 12);
    expect(jaccardSimilarity('a b', 'c d')).toBe(0);
    expect(jaccardSimilarity('...', '!!!')).toBe(1);
    expect(wordSet('Hello, world!')).toEqual(new Set(['hello', 'world']));
    expect(wordSet('我喜欢北京').size).toBeGreaterThan(1);
  });

  it('closest finds near names only', () => {
    expect(closest('contans', ['contains', 'equals'])).toBe('contains');
    expect(closest('zzzz', ['contains', 'equals'])).toBeUndefined();
  });
});

describe('similarity assertion', () => {
  it('levenshtein by default, threshold 0.8; the score is the similarity', async () => {
    const near = await passes({ type: 'similarity', value: 'The capital is Paris' }, 'the capital is paris.');
    expect(near.score).toBeCloseTo(1 - 1 / 21, 4);
    expect(near.reason).toMatch(/^levenshtein similarity 0\.952\d* to "The capital is Paris" ≥ 0\.8$/);
    const far = await fails({ type: 'similarity', value: 'kitten' }, 'sitting');
    expect(far.score).toBeCloseTo(1 - 3 / 7, 4);
    expect(far.reason).toBe('levenshtein similarity 0.5714 to "kitten" < 0.8');
  });

  it('takes a threshold and the jaccard method', async () => {
    await passes({ type: 'similarity', value: 'kitten', threshold: 0.5 }, 'sitting');
    await passes(
      { type: 'similarity', value: 'paris is the capital', method: 'jaccard' },
      'The capital is Paris',
    );
    await fails(
      { type: 'similarity', value: 'paris is the capital', method: 'jaccard', threshold: 0.9 },
      'Paris, capital',
    );
  });

  it('not-similarity: passes below the threshold, score 1 − similarity', async () => {
    const result = await run({ type: 'not-similarity', value: 'kitten' }, 'sitting');
    expect(result.pass).toBe(true);
    expect(result.score).toBeCloseTo(3 / 7, 4);
    await fails({ type: 'not-similarity', value: 'Paris' }, 'paris');
  });

  it('validates threshold and method', () => {
    expect(invalid([{ type: 'similarity', value: 'x', threshold: 1.5 }])).toBe(
      'assert[0] (similarity): threshold must be between 0 and 1, got 1.5',
    );
    expect(invalid([{ type: 'similarity', value: 'x', method: 'cosine' }])).toBe(
      'assert[0] (similarity): method must be levenshtein or jaccard, got "cosine"',
    );
    expect(invalid([{ type: 'similarity' }])).toBe('assert[0] (similarity): value is missing');
  });
});
