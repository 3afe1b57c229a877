import { jaccardSimilarity, levenshteinSimilarity } from '../string-similarity.js';
import { readNumber, readText, show } from './spec-reader.js';
import type { AssertionType, SimilarityMethod, SimilaritySpec } from './types.js';

export const DEFAULT_SIMILARITY_THRESHOLD = 0.8;
const METHODS: readonly SimilarityMethod[] = ['levenshtein', 'jaccard'];

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}

/**
 * `similarity`: offline string similarity between the output and the value reaches `threshold`
 * (default 0.8). `method: levenshtein` (default) is 1 − edit distance / longer length, for short
 * answers where every character counts; `method: jaccard` is the overlap of the two word sets, for
 * longer answers where word order and filler do not. Both ignore case and runs of whitespace. The
 * score is the similarity.
 */
export const similarity: AssertionType<SimilaritySpec> = {
  kinds: ['similarity'],
  negatable: true,
  parse(_kind, fields) {
    const value = readText(fields);
    const threshold = fields.has('threshold')
      ? readNumber(fields, 'threshold', 0, 1)
      : DEFAULT_SIMILARITY_THRESHOLD;
    const method = fields.get('method') ?? 'levenshtein';
    if (typeof method !== 'string' || !METHODS.includes(method as SimilarityMethod)) {
      fields.fail(`method must be levenshtein or jaccard, got ${show(method)}`);
    }
    return { value, threshold, method: method as SimilarityMethod };
  },
  check(spec, ctx) {
    const score =
      spec.method === 'jaccard'
        ? jaccardSimilarity(ctx.output, spec.value)
        : levenshteinSimilarity(ctx.output, spec.value);
    if (score === undefined) {
      return {
        pass: false,
        reason: 'output and value are too long for levenshtein similarity; use method: jaccard',
        undecided: true,
      };
    }
    const shown = `${spec.method} similarity ${round(score)} to ${show(spec.value, 40)}`;
    return score >= spec.threshold
      ? { pass: true, score, reason: `${shown} ≥ ${spec.threshold}` }
      : { pass: false, score, reason: `${shown} < ${spec.threshold}` };
  },
};
