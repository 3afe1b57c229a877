import { isSuccess, type OutcomeClass } from '../results/outcomes.js';
import type { JobResult } from '../results/types.js';
import { shortWordDiff } from './short-diff.js';
import { excerpt, xmlAttr, xmlText } from './xml-text.js';

/** How one job shows in JUnit: passed, failed its checks, errored on the way, or never finished. */
export type JunitVerdict = 'passed' | 'failure' | 'error' | 'skipped';

/** Bounds on text copied from results, so a long answer cannot swell the file. */
const MESSAGE_CHARS = 500;
const EXCERPT_CHARS = 300;
const SYSTEM_OUT_CHARS = 2_000;

/**
 * The one mapping from outcome class to JUnit: a failed check is a `failure` (the answer is
 * wrong); an interruption is `skipped` (our own stop, nothing was learned about the row); every
 * other outcome without a usable answer is an `error` (the service or the wire failed). Success
 * comes from the outcome table, so `length` passes like `ok`.
 */
export function junitVerdict(outcome: OutcomeClass): JunitVerdict {
  if (outcome === 'assertion_failed') return 'failure';
  if (isSuccess(outcome)) return 'passed';
  if (outcome === 'interrupted') return 'skipped';
  return 'error';
}

/** `classname` of a target's cases. Jenkins splits a classname at its last dot, so dots in the target become `_`. */
export function junitClassname(target: string): string {
  return `stepbench.${target.replace(/\./g, '_')}`;
}

/** The row id, numbered `#n` (repeat + 1) when the run repeats rows, so every case has its own name. */
export function junitCaseName(result: Pick<JobResult, 'rowId' | 'repeat'>, numberRepeats: boolean): string {
  return numberRepeats || result.repeat > 0 ? `${result.rowId} #${result.repeat + 1}` : result.rowId;
}

/** Seconds with millisecond precision, in the plain decimal form every JUnit schema accepts. */
export function junitSeconds(ms: number): string {
  return Number.isFinite(ms) && ms > 0 ? (ms / 1000).toFixed(3) : '0.000';
}

export interface JunitCase {
  verdict: JunitVerdict;
  xml: string;
}

/** One `<testcase>` for a finished job, with its failure, error or skip; its time is the job's `latency` (what the caller waited, retries included). */
export function junitTestcase(result: JobResult, numberRepeats: boolean): JunitCase {
  const verdict = junitVerdict(result.outcome);
  const ms = result.durations.latency;
  const open =
    `    <testcase name="${xmlAttr(junitCaseName(result, numberRepeats))}" ` +
    `classname="${xmlAttr(junitClassname(result.target))}" time="${junitSeconds(ms)}"`;
  const body = caseBody(result, verdict);
  const xml = body === '' ? `${open}/>\n` : `${open}>\n${body}    </testcase>\n`;
  return { verdict, xml };
}

function caseBody(result: JobResult, verdict: JunitVerdict): string {
  switch (verdict) {
    case 'passed':
      return '';
    case 'failure':
      return failureXml(result) + systemOut(result);
    case 'error':
      return errorXml(result) + systemOut(result);
    case 'skipped':
      return `      <skipped message="${xmlAttr(`${result.outcome}: the run stopped before this job finished`)}"/>\n`;
  }
}

function failureXml(result: JobResult): string {
  const failed = (result.checks?.results ?? []).filter((c) => !c.pass);
  const first = failed[0];
  const message = first?.reason ?? 'the answer failed its checks';
  const lines = failed.map((c) => `${c.label ? `${c.label} (${c.type})` : c.type}: ${c.reason}`);
  lines.push('', ...answerLines(result), `row: ${sourceOf(result)}`);
  return (
    `      <failure message="${xmlAttr(excerpt(message, MESSAGE_CHARS))}" type="${xmlAttr(first?.type ?? 'assertion')}">` +
    `${xmlText(lines.join('\n'))}</failure>\n`
  );
}

/** The expected text, the answer, and a word diff between them when there is an expectation. */
function answerLines(result: JobResult): string[] {
  const lines: string[] = [];
  if (result.expected !== undefined) lines.push(`expected: ${excerpt(result.expected, EXCERPT_CHARS)}`);
  lines.push(`actual:   ${excerpt(result.output, EXCERPT_CHARS)}`);
  const diff = result.expected !== undefined ? shortWordDiff(result.expected, result.output) : undefined;
  if (diff) lines.push(`diff:     ${diff}`);
  return lines;
}

function errorXml(result: JobResult): string {
  // A timeout or a broken stream can follow a 200: only a refusing status explains the error.
  const status = result.status !== undefined && result.status >= 400 ? `HTTP ${result.status}: ` : '';
  const message = `${status}${result.error?.message ?? result.outcome}`;
  const lines = [`outcome: ${result.outcome}`];
  if (result.status !== undefined) lines.push(`status: ${result.status}`);
  if (result.error?.type) lines.push(`error type: ${result.error.type}`);
  if (result.error?.message) lines.push(`message: ${result.error.message}`);
  lines.push(`attempts: ${result.attempts.length}`);
  if (result.traceId) lines.push(`trace id: ${result.traceId}`);
  lines.push(`row: ${sourceOf(result)}`);
  return (
    `      <error message="${xmlAttr(excerpt(message, MESSAGE_CHARS))}" type="${xmlAttr(result.outcome)}">` +
    `${xmlText(lines.join('\n'))}</error>\n`
  );
}

/** The answer (or what came of it), for the CI page's "standard output" of a failed case. */
function systemOut(result: JobResult): string {
  if (result.output === '') return '';
  return `      <system-out>${xmlText(excerpt(result.output, SYSTEM_OUT_CHARS))}</system-out>\n`;
}

function sourceOf(result: JobResult): string {
  return `${result.source.file}:${result.source.line}`;
}
