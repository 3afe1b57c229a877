import type { AssertionSpec } from '../eval/assertions-api.js';
/** One chat message as sent on the wire. `content` may be a string, null, or multimodal parts. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | null | unknown[];
  name?: string;
  tool_call_id?: string;
  tool_calls?: unknown[];
  [extra: string]: unknown;
}

/** Where a row came from: the file and its 1-based line (for CSV, the line the record starts on). */
export interface RowSource {
  file: string;
  line: number;
}

/** A dataset row after validation and templating; plain data, safe to serialise. */
export interface DatasetRow {
  /** From an `id` / `custom_id` column, else a stable hash of the row's content. */
  id: string;
  source: RowSource;
  /** Messages with `{{var}}` templates already filled in. */
  messages: ChatMessage[];
  /** Per-row generation params (`max_tokens`, `temperature`, …) that override the target's. */
  params: Record<string, unknown>;
  /** Expected answer, if the row has one: an `icontains` check (docs/assertions.md). */
  expected?: string;
  /** Assertions list as written in the dataset. */
  assertions?: unknown[];
  /** `expected` and `assertions`, validated and normalised when the row was read; judged per answer. */
  checks?: AssertionSpec[];
  /** Weighted assertion score (0..1) the row must reach; without one every assertion must pass. */
  threshold?: number;
  tags: string[];
  /** The other columns: template variables and metadata carried into results. */
  vars: Record<string, unknown>;
}

/** A row that failed validation and was skipped because the user chose `--on-bad-row skip`. */
export interface BadRow {
  file: string;
  line: number;
  reason: string;
}

export type DatasetItem = { kind: 'row'; row: DatasetRow } | { kind: 'bad'; bad: BadRow };

export type BadRowPolicy = 'fail' | 'skip';

/** How dataset bytes are decoded: UTF-8 (invalid bytes are an error naming file and line) or Latin-1. */
export type DatasetEncoding = 'utf8' | 'latin1';
