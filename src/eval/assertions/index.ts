import { closest } from '../string-similarity.js';
import { contains } from './contains.js';
import { containsList } from './contains-list.js';
import { custom } from './custom.js';
import { equals } from './equals.js';
import { finishReason } from './finish-reason.js';
import { isJson } from './is-json.js';
import { jsonPath } from './json-path.js';
import { jsonSchema } from './json-schema.js';
import { judge } from './judge.js';
import { maxCost } from './max-cost.js';
import { maxDuration } from './max-duration.js';
import { maxTokens } from './max-tokens.js';
import { regex } from './regex.js';
import { similarity } from './similarity.js';
import { startsWith } from './starts-with.js';
import type { AssertionKind, AssertionType } from './types.js';

/**
 * Every assertion type by name. A kind added to AssertionSpec without a row here fails to
 * compile; each row points at the one module that implements it.
 */
const REGISTRY: Readonly<Record<AssertionKind, AssertionType>> = {
  equals,
  contains,
  icontains: contains,
  'contains-any': containsList,
  'contains-all': containsList,
  'icontains-any': containsList,
  'icontains-all': containsList,
  'starts-with': startsWith,
  regex,
  'is-json': isJson,
  'json-schema': jsonSchema,
  'json-path': jsonPath,
  'finish-reason': finishReason,
  'max-tokens': maxTokens,
  'max-ttft': maxDuration,
  'max-e2e': maxDuration,
  'max-cost': maxCost,
  similarity,
  judge,
  custom,
};

export const ASSERTION_KINDS = Object.keys(REGISTRY) as AssertionKind[];

export function isAssertionKind(name: string): name is AssertionKind {
  return Object.hasOwn(REGISTRY, name);
}

/** The module implementing `kind`. */
export function assertionType(kind: AssertionKind): AssertionType {
  return REGISTRY[kind];
}

// Names users bring from promptfoo, mapped to what stepbench calls the same idea.
const PEER_NAMES: Readonly<Record<string, string>> = {
  'llm-rubric': 'judge',
  'model-graded-closedqa': 'judge',
  'g-eval': 'judge',
  javascript: 'custom (value: "file:./checks.mjs#name")',
  python: 'custom with a JavaScript module (value: "file:./checks.mjs#name")',
  levenshtein: 'similarity',
  similar: 'similarity',
  latency: 'max-e2e',
  cost: 'max-cost',
  'contains-json': 'is-json or json-schema',
  startswith: 'starts-with',
};

/** Why `name` is not a type, with the closest name or the peer tool's equivalent. */
export function unknownKindHint(name: string): string {
  const peer = PEER_NAMES[name];
  if (peer) return `unknown assertion type "${name}" (promptfoo's name; stepbench's is ${peer})`;
  const near = closest(name, ASSERTION_KINDS);
  if (near) return `unknown assertion type "${name}": did you mean "${near}"?`;
  return `unknown assertion type "${name}"; known types: ${ASSERTION_KINDS.join(', ')}, each also as not-<type> except max-*`;
}
