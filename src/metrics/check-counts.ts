import type { OutcomeClass } from '../results/outcomes.js';
import type { JobResult } from '../results/types.js';

/** The outcomes whose answer a row's checks judge: the server answered with text (a cut-off `length` too). */
const JUDGED_OUTCOMES: ReadonlySet<OutcomeClass> = new Set(['ok', 'length']);

export function isJudgeable(outcome: OutcomeClass): boolean {
  return JUDGED_OUTCOMES.has(outcome);
}

/**
 * Where a result stands against its row's checks: `passed`/`failed` when its answer was judged
 * (it carries `checks`), `unchecked` when it is an answer the checks would judge but its row has
 * none, `unanswered` when there was no answer to judge (errors, content filters, final 429s,
 * interruptions).
 */
export type CheckVerdict = 'passed' | 'failed' | 'unchecked' | 'unanswered';

export function checkVerdict(result: Pick<JobResult, 'checks' | 'outcome'>): CheckVerdict {
  if (result.checks) return result.checks.pass ? 'passed' : 'failed';
  return isJudgeable(result.outcome) ? 'unchecked' : 'unanswered';
}

/**
 * The pass rate, defined once (report, `pass_rate` gate, `--abort-on-gate`, repeats): passed ÷
 * judged answers. Answers nobody judged and requests without an answer are not in it — the model's
 * answers are measured here, the service's failures by `error_rate`/`success_rate`, so a timeout is
 * never counted twice. Null when nothing was judged.
 */
export function passRate(passed: number, judged: number): number | null {
  return judged === 0 ? null : passed / judged;
}

export interface CheckSummary {
  /** Results whose answer was judged against its row's checks. */
  judged: number;
  passed: number;
  failed: number;
  /** passed ÷ judged; null when nothing was judged. */
  passRate: number | null;
  /** Answers of rows without checks. */
  unchecked: number;
  /** Results without an answer to judge (errors, content filters, final 429s, interruptions). */
  unanswered: number;
  /** Per assertion type (`expected` shows as the type it stands for, e.g. `icontains`): answers it judged and passed. */
  byType: Record<string, { judged: number; passed: number }>;
}

/** Running check counts of one target; additive, so shards and resumed runs merge exactly. */
export class CheckCounts {
  passed = 0;
  failed = 0;
  unchecked = 0;
  unanswered = 0;
  private readonly byType = new Map<string, { judged: number; passed: number }>();

  get judged(): number {
    return this.passed + this.failed;
  }

  add(result: Pick<JobResult, 'checks' | 'outcome'>): void {
    this[checkVerdict(result)]++;
    for (const check of result.checks?.results ?? []) this.addType(check.type, 1, check.pass ? 1 : 0);
  }

  merge(other: CheckCounts): void {
    this.passed += other.passed;
    this.failed += other.failed;
    this.unchecked += other.unchecked;
    this.unanswered += other.unanswered;
    for (const [type, n] of other.byType) this.addType(type, n.judged, n.passed);
  }

  summary(): CheckSummary {
    return {
      judged: this.judged,
      passed: this.passed,
      failed: this.failed,
      passRate: passRate(this.passed, this.judged),
      unchecked: this.unchecked,
      unanswered: this.unanswered,
      byType: Object.fromEntries([...this.byType].map(([type, n]) => [type, { ...n }])),
    };
  }

  /** Counts back from a report's summary (merging reports). */
  static fromSummary(s: CheckSummary): CheckCounts {
    const counts = new CheckCounts();
    counts.passed = s.passed;
    counts.failed = s.failed;
    counts.unchecked = s.unchecked;
    counts.unanswered = s.unanswered;
    for (const [type, n] of Object.entries(s.byType)) counts.addType(type, n.judged, n.passed);
    return counts;
  }

  private addType(type: string, judged: number, passed: number): void {
    const n = this.byType.get(type) ?? { judged: 0, passed: 0 };
    n.judged += judged;
    n.passed += passed;
    this.byType.set(type, n);
  }
}

/** The checks of several targets added up (the report's overall `checks`). */
export function sumCheckSummaries(summaries: readonly CheckSummary[]): CheckSummary {
  const total = new CheckCounts();
  for (const s of summaries) total.merge(CheckCounts.fromSummary(s));
  return total.summary();
}
