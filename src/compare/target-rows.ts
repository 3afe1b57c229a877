import { shortWordDiff } from '../report/short-diff.js';
import { excerpt } from '../report/xml-text.js';
import type { PairedVerdicts } from './metric-deltas.js';
import type { RowRecord, RowVerdict } from './run-side.js';

/** Rows whose outputs differ from the reference's listed in report.json; the count covers all. */
export const LISTED_DIFFERING_ROWS = 20;
/** Characters of each listed output kept in report.json. */
const LISTED_OUTPUT_CHARS = 600;

/** `count` of `of`, and the share (null when `of` is 0). */
export interface Share {
  count: number;
  of: number;
  share: number | null;
}

/** How often a target answered as the reference did, over the rows both answered (sameVerdict: both judged). */
export interface TargetAgreement {
  /** The same answer, character for character. */
  exact: Share;
  /** The same answer after normalisation (normalise-answer.ts). */
  normalised: Share;
  /** The same check verdict (both passed or both failed), of the rows judged for both. */
  sameVerdict: Share;
}

/** One target's answer to a listed row. */
export interface RowOutput {
  target: string;
  verdict: RowVerdict;
  /** The answer's first characters; absent without an answer. */
  output?: string;
  /** Why it failed its checks (the first failed check). */
  reason?: string;
  /** The error's class and message, when there was no answer. */
  error?: string;
  /** The same answer as the reference's, character for character; absent on the reference. */
  same?: boolean;
  /** `[-reference-]{+this+}` word diff, when both answered differently (and the diff is readable). */
  diff?: string;
}

export interface DifferingRow {
  rowId: string;
  repeat: number;
  /** The reference first, then the other targets in the run's order (those that ran the row). */
  outputs: RowOutput[];
}

export interface TargetRows {
  /** Rows (row × repeat) the reference and at least one other target ran. */
  paired: number;
  /** Of those, rows where some target's output differs from the reference's (or only one side answered). */
  differing: number;
  /** The first LISTED_DIFFERING_ROWS of them, in the run's order. */
  listed: DifferingRow[];
}

export interface TargetPairing {
  perTarget: Map<string, { rowsBoth: number; agreement: TargetAgreement; verdicts: PairedVerdicts }>;
  rows: TargetRows;
}

const share = (count: number, of: number): Share => ({
  count,
  of,
  share: of === 0 ? null : Math.round((count / of) * 1e6) / 1e6,
});
const answered = (r: RowRecord) => r.output !== undefined;
const judged = (v: RowVerdict) => v === 'passed' || v === 'failed';
const sameText = (a: RowRecord, b: RowRecord, kind: 'exact' | 'normalised') =>
  a.digest && b.digest ? a.digest[kind] === b.digest[kind] : a.output === b.output;

/**
 * Pairs the targets' jobs of one run by row × repeat and sets each target beside the reference:
 * agreement of answers and verdicts, the verdict pairs McNemar's test counts, and the rows whose
 * outputs differ, with a word diff against the reference's answer.
 */
export function pairTargetRows(
  records: Iterable<RowRecord>,
  reference: string,
  others: readonly string[],
): TargetPairing {
  const byRow = new Map<string, Map<string, RowRecord>>();
  for (const r of records) {
    const key = `${r.rowId}\u0000${r.repeat}`;
    let row = byRow.get(key);
    if (!row) {
      row = new Map();
      byRow.set(key, row);
    }
    row.set(r.target, r);
  }
  const counts = new Map(
    others.map((t) => [
      t,
      { rowsBoth: 0, exact: 0, normalised: 0, judged: 0, sameVerdict: 0, worse: 0, better: 0 },
    ]),
  );
  const rows: TargetRows = { paired: 0, differing: 0, listed: [] };
  for (const row of byRow.values()) {
    const ref = row.get(reference);
    if (!ref || !others.some((t) => row.has(t))) continue;
    rows.paired++;
    let differs = false;
    for (const t of others) {
      const other = row.get(t);
      const c = counts.get(t);
      if (!other || !c) continue;
      if (answered(ref) && answered(other)) {
        c.rowsBoth++;
        if (sameText(ref, other, 'exact')) c.exact++;
        else differs = true;
        if (sameText(ref, other, 'normalised')) c.normalised++;
      } else if (answered(ref) !== answered(other)) differs = true;
      if (judged(ref.verdict) && judged(other.verdict)) {
        c.judged++;
        if (ref.verdict === other.verdict) c.sameVerdict++;
        else if (ref.verdict === 'passed') c.worse++;
        else c.better++;
      }
    }
    if (!differs) continue;
    rows.differing++;
    if (rows.listed.length < LISTED_DIFFERING_ROWS) rows.listed.push(listedRow(ref, others, row));
  }
  const perTarget: TargetPairing['perTarget'] = new Map();
  for (const [t, c] of counts) {
    perTarget.set(t, {
      rowsBoth: c.rowsBoth,
      agreement: {
        exact: share(c.exact, c.rowsBoth),
        normalised: share(c.normalised, c.rowsBoth),
        sameVerdict: share(c.sameVerdict, c.judged),
      },
      verdicts: { worse: c.worse, better: c.better, pairs: c.judged },
    });
  }
  return { perTarget, rows };
}

function listedRow(ref: RowRecord, others: readonly string[], row: Map<string, RowRecord>): DifferingRow {
  const outputs = [rowOutput(ref)];
  for (const t of others) {
    const other = row.get(t);
    if (!other) continue;
    const out = rowOutput(other);
    out.same = answered(ref) && answered(other) && sameText(ref, other, 'exact');
    if (!out.same && ref.output !== undefined && other.output !== undefined) {
      const diff = shortWordDiff(ref.output, other.output);
      if (diff) out.diff = diff;
    }
    outputs.push(out);
  }
  return { rowId: ref.rowId, repeat: ref.repeat, outputs };
}

function rowOutput(r: RowRecord): RowOutput {
  const out: RowOutput = { target: r.target, verdict: r.verdict };
  if (r.output !== undefined) out.output = excerpt(r.output, LISTED_OUTPUT_CHARS);
  if (r.reason) out.reason = r.reason;
  if (r.error) out.error = r.error;
  return out;
}
