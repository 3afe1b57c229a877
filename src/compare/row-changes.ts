import { shortWordDiff } from '../report/short-diff.js';
import type { RowRecord, RunSide } from './run-side.js';

/** Changed rows listed per kind; the counts cover all of them. */
export const LISTED_CHANGES = 20;

export interface RowChange {
  key: string;
  rowId: string;
  target: string;
  repeat: number;
  before: RowRecord['verdict'];
  after: RowRecord['verdict'];
  /** Why it fails now (the first failed check, or the error). */
  reason?: string;
  /** `[-old-]{+new+}` word diff of the answers, when both runs answered and the answers differ. */
  diff?: string;
}

export interface RowChanges {
  /** Jobs present in both runs. */
  compared: number;
  /** Passed before, failed its checks or ended in an error now. */
  regressed: number;
  /** Failed or errored before, passes now. */
  fixed: number;
  /** Both runs answered, and the answers differ (whitespace aside). */
  outputChanged: number;
  /** Jobs of only one run. */
  onlyInBaseline: number;
  onlyInCurrent: number;
  /** Per target, jobs judged in both runs and of those, pass → fail and fail → pass (McNemar's test counts these). */
  judgedBoth: Record<string, { worse: number; better: number; pairs: number }>;
  /** The first LISTED_CHANGES of each kind, in the current run's order. */
  regressedRows: RowChange[];
  fixedRows: RowChange[];
  changedRows: RowChange[];
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
const isPass = (v: RowRecord['verdict']) => v === 'passed';
const isFail = (v: RowRecord['verdict']) => v === 'failed' || v === 'error';

const jobOf = (target: string, r: RowRecord) => `${target}\u0000${r.rowId}\u0000${r.repeat}`;

/**
 * Pairs each job of the current run with the baseline's job of the same row × target × repeat.
 * `baselineTarget` names the baseline's target for each current one (the same name, or the only
 * target of each run when a run of one model is compared with a run of another).
 */
export function compareRows(
  baseline: RunSide,
  current: RunSide,
  baselineTarget: (currentTarget: string) => string | undefined,
): RowChanges | null {
  if (!baseline.rows || !current.rows) return null;
  const before = new Map<string, RowRecord>();
  for (const r of baseline.rows.values()) before.set(jobOf(r.target, r), r);
  const matched = new Set<string>();
  const out: RowChanges = {
    compared: 0,
    regressed: 0,
    fixed: 0,
    outputChanged: 0,
    onlyInBaseline: 0,
    onlyInCurrent: 0,
    judgedBoth: {},
    regressedRows: [],
    fixedRows: [],
    changedRows: [],
  };
  for (const [key, now] of current.rows) {
    const other = baselineTarget(now.target);
    const job = other === undefined ? undefined : jobOf(other, now);
    const was = job === undefined ? undefined : before.get(job);
    if (!was || job === undefined) {
      out.onlyInCurrent++;
      continue;
    }
    matched.add(job);
    out.compared++;
    const judged = (v: RowRecord['verdict']) => v === 'passed' || v === 'failed';
    if (judged(was.verdict) && judged(now.verdict)) {
      const pair = out.judgedBoth[now.target] ?? { worse: 0, better: 0, pairs: 0 };
      out.judgedBoth[now.target] = pair;
      pair.pairs++;
      if (was.verdict === 'passed' && now.verdict === 'failed') pair.worse++;
      if (was.verdict === 'failed' && now.verdict === 'passed') pair.better++;
    }
    const outputsDiffer =
      was.output !== undefined && now.output !== undefined && squash(was.output) !== squash(now.output);
    const change = (): RowChange => {
      const c: RowChange = {
        key,
        rowId: now.rowId,
        target: now.target,
        repeat: now.repeat,
        before: was.verdict,
        after: now.verdict,
      };
      const reason = now.reason ?? now.error;
      if (reason) c.reason = reason;
      if (outputsDiffer) {
        const diff = shortWordDiff(was.output as string, now.output as string);
        if (diff) c.diff = diff;
      }
      return c;
    };
    if (isPass(was.verdict) && isFail(now.verdict)) {
      out.regressed++;
      if (out.regressedRows.length < LISTED_CHANGES) out.regressedRows.push(change());
    } else if (isFail(was.verdict) && isPass(now.verdict)) {
      out.fixed++;
      if (out.fixedRows.length < LISTED_CHANGES) out.fixedRows.push(change());
    }
    if (outputsDiffer) {
      out.outputChanged++;
      if (out.changedRows.length < LISTED_CHANGES) out.changedRows.push(change());
    }
  }
  out.onlyInBaseline = before.size - matched.size;
  return out;
}
