import { formatDuration, formatFixed, formatInt, formatMs, formatPercent, formatRate } from './format.js';
import type { Report } from './schema.js';

/**
 * The parts of the console summary about how the run went rather than what it measured:
 * phases, retries and 429s, goodput against the SLOs, and whether the client itself was a
 * bottleneck. Each returns no lines when there is nothing worth saying.
 */
export function phaseLines(report: Report): string[] {
  const phases = report.phases ?? [];
  if (phases.length <= 1 && !phases.some((p) => p.schedule.targetRate !== null)) return [];
  const lines = ['', 'phases'];
  for (const p of phases) {
    const s = p.schedule;
    const rate =
      s.targetRate !== null
        ? ` · target ${formatRate(s.targetRate)} req/s, achieved ${formatRate(s.achievedRate)}` +
          (s.achievedRate !== null && s.targetRate > 0
            ? ` (${formatPercent(s.achievedRate / s.targetRate)})`
            : '')
        : '';
    const late = s.late > 0 ? ` · ${formatInt(s.late)} late` : '';
    const excluded = p.warmup ? ' (warmup: not in the statistics above)' : '';
    lines.push(
      `  ${p.name.padEnd(10)} ${formatDuration(p.endedAtMs - p.startedAtMs).padStart(7)} · ${p.load} · ` +
        `${formatInt(s.dispatched)} sent${rate}${late}${excluded}`,
    );
  }
  return lines;
}

export function retryLines(report: Report): string[] {
  const lines: string[] = [];
  for (const t of report.targets) {
    const a = t.summary.attempts;
    if (a.attempts <= t.summary.requests && a.rateLimited === 0) continue;
    lines.push(
      `retries     ${t.name}: ${formatInt(a.attempts)} attempts for ${formatInt(t.summary.requests)} jobs · ` +
        `${formatInt(a.retriedJobs)} retried · ${formatInt(a.rateLimited)} × 429 · ${formatDuration(a.backoffMs)} backing off`,
    );
  }
  const limits = report.limits;
  if (limits?.adaptive && limits.finalConcurrency !== null && lines.length > 0) {
    lines.push(
      `limit       adaptive concurrency ended at ${limits.finalConcurrency} (max ${limits.maxConcurrency})`,
    );
    if (limits.boundBy && limits.boundBy.kind !== 'none') lines.push(`bound by    ${limits.boundBy.summary}`);
  }
  return lines.length > 0 ? ['', ...lines] : [];
}

export function goodputLines(report: Report): string[] {
  if (!report.slos || report.slos.length === 0 || !report.goodput) return [];
  const lines = ['', `goodput     SLOs: ${report.slos.join(', ')}`];
  for (const [name, g] of Object.entries(report.goodput)) {
    const verdicts = g.slos
      .map(
        (s) =>
          `${s.text} ${s.passed === null ? '–' : s.passed ? 'PASS' : 'FAIL'} (${formatPercent(s.metShare)})`,
      )
      .join(' · ');
    lines.push(
      `  ${name}: ${formatInt(g.good)}/${formatInt(g.requests)} good (${formatPercent(g.goodShare)}), ` +
        `${formatRate(g.goodputPerSec)} good req/s · ${verdicts}`,
    );
  }
  return lines;
}

export function healthLines(report: Report): string[] {
  const h = report.health;
  if (!h) return [];
  const lag = h.dispatchLagMs ? ` · dispatch lag p99 ${formatMs(h.dispatchLagMs.p99)} ms` : '';
  const lines = [
    '',
    `client      event-loop delay p99 ${formatMs(h.eventLoopDelayMs.p99)} ms, max ${formatMs(h.eventLoopDelayMs.max)} ms · ` +
      `CPU ${formatPercent(h.cpuPercent / 100)}${lag}`,
  ];
  for (const w of h.warnings) lines.push(`WARNING     ${w}`);
  return lines;
}

/** The most frequent messages behind each error class (deduplicated, counted), not only the counts. */
export function errorMessageLines(report: Report): string[] {
  const digest = report.errorMessages;
  if (!digest) return [];
  const lines = ['', 'errors'];
  for (const [outcome, messages] of Object.entries(digest)) {
    for (const m of messages ?? []) {
      const text = m.message.length > 160 ? `${m.message.slice(0, 157)}...` : m.message;
      lines.push(`  ${outcome.padEnd(18)} ×${formatInt(m.count).padEnd(6)} ${text}`);
    }
  }
  return lines;
}

/** Duration gates (`ttft.p95<2s`) measure in ms; the console says so. */
export function gateUnit(gate: string): string {
  return /\.(p\d+|max|mean|min)\s*[<>]/.test(gate) ? ' ms' : '';
}

/** Each gate's verdict, failed ones first: what decided the exit code. */
export function gateLines(report: Report): string[] {
  const gates = report.gates;
  if (!gates || gates.length === 0) return [];
  const failed = gates.filter((g) => !g.pass).length;
  const lines = ['', `gates       ${failed === 0 ? 'all passed' : `${failed} of ${gates.length} FAILED`}`];
  for (const g of [...gates].sort((a, b) => Number(a.pass) - Number(b.pass))) {
    const measured =
      g.measured === null ? (g.reason ?? 'no value') : `${formatFixed(g.measured, 3)}${gateUnit(g.gate)}`;
    lines.push(`  ${g.pass ? 'PASS' : 'FAIL'}  ${g.target}: ${g.gate} (measured ${measured})`);
  }
  return lines;
}
