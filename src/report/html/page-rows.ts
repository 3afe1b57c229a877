import { type CheckVerdict, checkVerdict } from '../../metrics/check-counts.js';
import { OUTCOME_CLASSES } from '../../results/outcomes.js';
import type { JobResult } from '../../results/types.js';

/** Characters of each output, reasoning or variable kept on the page; results.jsonl has the rest. */
export const TEXT_CAP = 2_000;
/** Once this many characters of text are on the page, later texts keep only SMALL_TEXT_CAP. */
export const TEXT_BUDGET = 20_000_000;
export const SMALL_TEXT_CAP = 200;
/** Rows the table holds at most; a bigger run says how many it left out. */
export const MAX_PAGE_ROWS = 200_000;

export const VERDICTS: readonly CheckVerdict[] = ['passed', 'failed', 'unchecked', 'unanswered'];
export type Flip = 'regressed' | 'fixed' | 'changed';

/**
 * One table row: [rowId, target index, repeat, outcome index, verdict index, ttft ms, e2e ms,
 * completion tokens, cost, flip, detail]. Tuples, not objects: 100,000 rows repeat no field names.
 */
export type PageRow = [
  string,
  number,
  number,
  number,
  number,
  number | null,
  number | null,
  number | null,
  number | null,
  Flip | null,
  RowDetail,
];

/** What a row's detail shows; texts already cut to the page's caps. */
export interface RowDetail {
  key: string;
  source: string;
  model: string;
  output: string;
  /** The output's full length when it was cut. */
  outputCut?: number;
  reasoning?: string;
  reasoningCut?: number;
  status?: number;
  error?: string;
  finishReason?: string;
  traceId?: string;
  responseId?: string;
  phase?: string;
  warmup?: boolean;
  tags?: string[];
  vars?: Record<string, unknown>;
  expected?: string;
  checks?: JobResult['checks'];
  usage: JobResult['usage'];
  durations: JobResult['durations'];
  toolCalls?: JobResult['toolCalls'];
  attempts: JobResult['attempts'];
}

export interface PageRows {
  targets: string[];
  outcomes: readonly string[];
  verdicts: readonly CheckVerdict[];
  rows: PageRow[];
}

export interface RowsInfo {
  /** Lines of results.jsonl read. */
  total: number;
  /** Rows the page holds (total unless over MAX_PAGE_ROWS). */
  shown: number;
  textCap: number;
  smallTextCap: number;
  /** Texts cut to textCap, and to smallTextCap once the budget was spent. */
  cut: number;
  cutSmall: number;
  maxRows: number;
}

/** The page's bounds; tests pass smaller ones. */
export interface RowLimits {
  textCap: number;
  textBudget: number;
  smallTextCap: number;
  maxRows: number;
}

export const PAGE_LIMITS: RowLimits = {
  textCap: TEXT_CAP,
  textBudget: TEXT_BUDGET,
  smallTextCap: SMALL_TEXT_CAP,
  maxRows: MAX_PAGE_ROWS,
};

const round1 = (v: number | undefined) => (v === undefined ? null : Math.round(v * 10) / 10);

/** Collects results.jsonl lines into table rows, keeping the page's size bounded. */
export class PageRowsBuilder {
  private readonly targetIndex = new Map<string, number>();
  private readonly outcomeIndex = new Map<string, number>(OUTCOME_CLASSES.map((o, i) => [o, i]));
  private readonly rows: PageRow[] = [];
  private textChars = 0;
  readonly info: RowsInfo;

  /** @param targets the report's targets, in order (the first is the reference of the diffs). */
  constructor(
    targets: readonly string[],
    private readonly flips: ReadonlyMap<string, Flip> = new Map(),
    private readonly limits: RowLimits = PAGE_LIMITS,
  ) {
    for (const t of targets) this.targetOf(t);
    this.info = {
      total: 0,
      shown: 0,
      textCap: limits.textCap,
      smallTextCap: limits.smallTextCap,
      cut: 0,
      cutSmall: 0,
      maxRows: limits.maxRows,
    };
  }

  /** Keeps the row for `result()` (tests; `write-html.ts` streams `row()`'s instead). */
  add(r: JobResult): void {
    const row = this.row(r);
    if (row) this.rows.push(row);
  }

  /** The table row of one result; undefined past `maxRows` (counted in `info` either way). */
  row(r: JobResult): PageRow | undefined {
    this.info.total++;
    if (this.info.shown >= this.limits.maxRows) return undefined;
    this.info.shown++;
    const detail: RowDetail = {
      key: r.key,
      source: `${r.source.file}:${r.source.line}`,
      model: r.model,
      output: '',
      usage: r.usage,
      durations: r.durations,
      attempts: r.attempts,
    };
    const output = this.cap(r.output ?? '');
    detail.output = output.text;
    if (output.cutFrom !== undefined) detail.outputCut = output.cutFrom;
    if (r.reasoning) {
      const reasoning = this.cap(r.reasoning);
      detail.reasoning = reasoning.text;
      if (reasoning.cutFrom !== undefined) detail.reasoningCut = reasoning.cutFrom;
    }
    if (r.status !== undefined) detail.status = r.status;
    if (r.error) detail.error = r.error.type ? `${r.error.type}: ${r.error.message}` : r.error.message;
    if (r.finishReason) detail.finishReason = r.finishReason;
    if (r.traceId) detail.traceId = r.traceId;
    if (r.responseId) detail.responseId = r.responseId;
    if (r.phase) detail.phase = r.phase;
    if (r.warmup) detail.warmup = true;
    if (r.tags?.length) detail.tags = r.tags;
    if (r.vars && Object.keys(r.vars).length > 0) detail.vars = this.capValues(r.vars);
    if (r.expected !== undefined) detail.expected = this.cap(r.expected).text;
    if (r.checks) detail.checks = r.checks;
    if (r.toolCalls?.length) detail.toolCalls = r.toolCalls;
    return [
      r.rowId,
      this.targetOf(r.target),
      r.repeat,
      this.outcomeIndex.get(r.outcome) ?? this.outcomeOf(r.outcome),
      VERDICTS.indexOf(checkVerdict(r)),
      round1(r.durations.ttft),
      round1(r.durations.e2e),
      r.usage?.completionTokens ?? null,
      r.cost ?? null,
      this.flips.get(r.key) ?? null,
      detail,
    ];
  }

  result(): PageRows {
    return { ...this.names(), rows: this.rows };
  }

  /** The names the rows' indexes point to (complete once every result was added). */
  names(): Omit<PageRows, 'rows'> {
    return {
      targets: [...this.targetIndex.keys()],
      outcomes: [...this.outcomeIndex.keys()],
      verdicts: VERDICTS,
    };
  }

  private targetOf(name: string): number {
    let i = this.targetIndex.get(name);
    if (i === undefined) {
      i = this.targetIndex.size;
      this.targetIndex.set(name, i);
    }
    return i;
  }

  /** An outcome this version does not know (a newer results file) still gets a name on the page. */
  private outcomeOf(name: string): number {
    const i = this.outcomeIndex.size;
    this.outcomeIndex.set(name, i);
    return i;
  }

  private cap(text: string): { text: string; cutFrom?: number } {
    const { textCap, textBudget, smallTextCap } = this.limits;
    const limit = this.textChars >= textBudget ? smallTextCap : textCap;
    if (text.length <= limit) {
      this.textChars += text.length;
      return { text };
    }
    if (limit === textCap) this.info.cut++;
    else this.info.cutSmall++;
    this.textChars += limit;
    // Never end on half of a surrogate pair: the page would show a broken character.
    const end = /[\uD800-\uDBFF]/.test(text[limit - 1] ?? '') ? limit - 1 : limit;
    return { text: text.slice(0, end), cutFrom: text.length };
  }

  private capValues(vars: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(vars)) {
      const text = typeof v === 'string' ? v : JSON.stringify(v);
      const capped = this.cap(text ?? '');
      out[k] = capped.cutFrom === undefined && typeof v !== 'string' ? v : capped.text;
    }
    return out;
  }
}
