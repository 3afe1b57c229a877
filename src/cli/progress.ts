import cliProgress from 'cli-progress';
import type { ProgressSnapshot } from '../run/session.js';

const ms = (v: number | null): string =>
  v === null ? '–' : v < 10 ? `${v.toFixed(1)}ms` : `${Math.round(v)}ms`;

export function describeProgress(s: ProgressSnapshot): string {
  const rate = s.elapsedMs > 0 ? (s.done / s.elapsedMs) * 1000 : 0;
  const phase = s.phase && s.phase !== 'main' ? `${s.phase} | ` : '';
  return (
    `${phase}${s.done}${s.total > 0 ? `/${s.total}` : ''} done | ${rate.toFixed(1)} req/s | in-flight ${s.inFlight}/${s.limit} | ` +
    `TTFT p50 ${ms(s.ttftP50Ms)} p95 ${ms(s.ttftP95Ms)} | errors ${s.errors} | 429s ${s.rateLimited}`
  );
}

/**
 * Live progress on stderr. A redraw costs a little CPU, so it runs on its own timer (4×/s on a
 * terminal) and reads a cheap snapshot — never once per result, which would put the display on
 * the measurement's hot path. Without a terminal (CI logs) it prints a plain line every few seconds.
 */
export class Progress {
  private timer: NodeJS.Timeout | undefined;
  private bar: cliProgress.SingleBar | undefined;
  private snapshot: (() => ProgressSnapshot) | undefined;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly plainEveryMs = 5000,
  ) {}

  start(snapshot: () => ProgressSnapshot): void {
    this.snapshot = snapshot;
    const first = snapshot();
    if (this.stream.isTTY) {
      this.bar = new cliProgress.SingleBar(
        {
          stream: this.stream,
          // Without a known total (time-bounded runs) a bar would only mislead.
          format: first.total > 0 ? '{bar} {percentage}% | {status}' : '{status}',
          hideCursor: true,
          clearOnComplete: false,
          barsize: 24,
          // We push updates from our own timer; cli-progress should not add its own redraw loop.
          noTTYOutput: false,
          fps: 4,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(Math.max(first.total, 1), 0, { status: describeProgress(first) });
      this.timer = setInterval(() => this.redraw(), 250);
    } else {
      this.timer = setInterval(
        () => this.stream.write(`[stepbench] ${describeProgress(snapshot())}\n`),
        this.plainEveryMs,
      );
    }
    this.timer.unref();
  }

  private redraw(): void {
    if (!this.bar || !this.snapshot) return;
    const s = this.snapshot();
    // The total can become known during the run (a big dataset is counted alongside it).
    if (s.total > 0 && s.total !== this.bar.getTotal()) this.bar.setTotal(s.total);
    this.bar.update(s.done, { status: describeProgress(s) });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.redraw();
    this.bar?.stop();
    if (!this.bar && this.snapshot) this.stream.write(`[stepbench] ${describeProgress(this.snapshot())}\n`);
  }
}
