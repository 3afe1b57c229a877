/**
 * The assertion library's vocabulary: what a check sees (AssertionContext), what a validated
 * assertion looks like (AssertionSpec, plain data), what it answers (AssertionResult), and the one
 * interface every assertion type implements (AssertionType). docs/assertions.md is the user's view.
 */

/** A grader's answer to "does this output meet this rubric?". */
export interface GraderVerdict {
  pass: boolean;
  reason: string;
  /** 0..1; defaults to 1 for a pass and 0 for a fail. */
  score?: number;
}

/** What the judge gets besides rubric and output (a grader may ignore it). */
export interface GraderInput {
  expected?: string;
  vars: Record<string, unknown>;
}

/**
 * The judge interface the run supplies: a grader target asked with a rubric, or the offline
 * grader (offline-grader.ts) for the mock. It may reject; the assertion then fails with the reason.
 */
export type Grader = (rubric: string, output: string, input: GraderInput) => Promise<GraderVerdict>;

/** Everything a check may read about one answer. Plain data plus the injected grader. */
export interface AssertionContext {
  /** The answer text (`content`), as received. */
  output: string;
  reasoning?: string;
  finishReason?: string;
  usage?: {
    promptTokens?: number;
    completionTokens?: number;
    totalTokens?: number;
    /** `estimated` when the server reported no usage and stepbench counted the tokens. */
    source?: 'server' | 'estimated';
  };
  /** Milliseconds; absent when the request did not get that far (no first token: no ttft). */
  durations?: { ttft?: number; e2e?: number };
  /** The request's cost; `null` or absent means unknown (no price), which is never taken as 0. */
  cost?: number | null;
  expected?: string;
  /** The row's other columns. */
  vars?: Record<string, unknown>;
  /** Used by `judge`; without one a judge assertion fails with a reason. */
  grader?: Grader;
}

/** Fields every validated assertion has. */
export interface SpecCommon {
  /** The type as written, lower-cased, with its `not-` prefix: `not-icontains`. */
  type: string;
  negate: boolean;
  /** ≥ 0; default 1. Weight 0 is informational: reported, never fails the row. */
  weight: number;
  /** Optional name shown with the result (a CSV column's `#label`). */
  label?: string;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type TextKind = 'contains' | 'icontains' | 'starts-with';
export type ListKind = 'contains-any' | 'contains-all' | 'icontains-any' | 'icontains-all';
export type DurationKind = 'max-ttft' | 'max-e2e';

/** A string value compares as text; any other JSON value compares with the output parsed as JSON. */
export interface EqualsSpec extends SpecCommon {
  kind: 'equals';
  value: JsonValue;
}
export interface TextSpec extends SpecCommon {
  kind: TextKind;
  value: string;
}
export interface ListSpec extends SpecCommon {
  kind: ListKind;
  value: string[];
}
export interface RegexSpec extends SpecCommon {
  kind: 'regex';
  /** The pattern without slashes; `flags` holds the flags. */
  value: string;
  flags: string;
}
export interface IsJsonSpec extends SpecCommon {
  kind: 'is-json';
}
export interface JsonSchemaSpec extends SpecCommon {
  kind: 'json-schema';
  value: { [key: string]: JsonValue } | boolean;
}
export type JsonPathSpec = SpecCommon & { kind: 'json-path'; path: string } & (
    | { equals: JsonValue; contains?: undefined }
    | { contains: JsonValue; equals?: undefined }
  );
export interface FinishReasonSpec extends SpecCommon {
  kind: 'finish-reason';
  /** Any of these passes. */
  value: string[];
}
export interface MaxTokensSpec extends SpecCommon {
  kind: 'max-tokens';
  value: number;
}
export interface MaxDurationSpec extends SpecCommon {
  kind: DurationKind;
  /** Milliseconds. */
  value: number;
}
export interface MaxCostSpec extends SpecCommon {
  kind: 'max-cost';
  value: number;
}
export type SimilarityMethod = 'levenshtein' | 'jaccard';
export interface SimilaritySpec extends SpecCommon {
  kind: 'similarity';
  value: string;
  threshold: number;
  method: SimilarityMethod;
}
export interface JudgeSpec extends SpecCommon {
  kind: 'judge';
  /** The rubric. */
  value: string;
}
export interface CustomSpec extends SpecCommon {
  kind: 'custom';
  /** As written: `file:./checks.mjs#name`. */
  value: string;
  /** Absolute path of the module (resolved against the directory given at validation). */
  file: string;
  /** The export to call (`default` when the reference has no `#name`). */
  name: string;
  /** Passed to the function as `ctx.config` (any JSON). */
  config?: JsonValue;
}

/** One validated, normalised assertion: plain data, safe to serialise. */
export type AssertionSpec =
  | EqualsSpec
  | TextSpec
  | ListSpec
  | RegexSpec
  | IsJsonSpec
  | JsonSchemaSpec
  | JsonPathSpec
  | FinishReasonSpec
  | MaxTokensSpec
  | MaxDurationSpec
  | MaxCostSpec
  | SimilaritySpec
  | JudgeSpec
  | CustomSpec;

export type AssertionKind = AssertionSpec['kind'];

/** The answer of one assertion on one output, as results.jsonl carries it. */
export interface AssertionResult {
  type: string;
  pass: boolean;
  /** 0..1. */
  score: number;
  reason: string;
  /** Present when not 1. */
  weight?: number;
  label?: string;
}

/**
 * What a check answers before negation. `undecided`: the check could not be evaluated (no
 * duration, unknown cost, output not JSON for a path, grader failure); it fails, and `not-`
 * does not turn it into a pass.
 */
export interface Verdict {
  pass: boolean;
  /** Defaults to 1 for a pass and 0 for a fail. */
  score?: number;
  reason: string;
  undecided?: boolean;
}

/** A custom check function as loaded from its module. */
export type CustomCheckFunction = (output: string, ctx: CustomCheckContext) => unknown;

/** What a custom function gets as its second argument. */
export interface CustomCheckContext extends AssertionContext {
  config?: JsonValue;
}

/** Loaded custom functions by `customKey(spec)` (see custom.ts). */
export type CustomChecks = ReadonlyMap<string, CustomCheckFunction>;

/** What a check may need besides the spec and the context. */
export interface CheckEnv {
  customChecks: CustomChecks;
}

/** Reads and checks one raw assertion's fields; see spec-reader.ts. */
export interface FieldReader {
  /** The value of `key` (marks it as known). */
  get(key: string): unknown;
  has(key: string): boolean;
  /** Directory that relative `file:` references resolve against. */
  readonly baseDir: string;
  /** Throws the validation problem; the caller adds which assertion and where. */
  fail(problem: string): never;
}

/** A spec's own fields (a distributive Omit, so json-path's either/or survives). */
export type OwnFields<S> = S extends unknown ? Omit<S, keyof SpecCommon | 'kind'> : never;

/**
 * One assertion type, or a family sharing one implementation (contains/icontains). Chosen by
 * name from the registry in index.ts. Methods (not function properties) so a module typed for
 * its own spec fits the registry's `AssertionType`.
 */
export interface AssertionType<S extends AssertionSpec = AssertionSpec> {
  readonly kinds: readonly S['kind'][];
  /** Whether `not-<kind>` is allowed. */
  readonly negatable: boolean;
  /** Reads the type's own fields; `type`, `weight` and `label` are read by the caller. */
  parse(kind: S['kind'], fields: FieldReader): OwnFields<S>;
  check(spec: S, ctx: AssertionContext, env: CheckEnv): Verdict | Promise<Verdict>;
}
