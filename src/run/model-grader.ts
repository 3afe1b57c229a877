import { sendCompletion, type Timeouts } from '../client/send.js';
import { Transport } from '../client/transport.js';
import type { AttemptResult } from '../client/types.js';
import type { Clock } from '../clock.js';
import type { Grader, GraderVerdict } from '../eval/assertions-api.js';
import { gradingMessages, parseGraderAnswer } from '../eval/grading-prompt.js';
import { decideRetry, type RetryPolicy } from '../limit/retry-policy.js';
import { summarizeCost } from '../metrics/cost.js';
import type { Target } from '../plan/types.js';
import { redactUrl } from '../redact.js';
import type { ReportGrader } from '../report/schema.js';

export interface ModelGraderOptions {
  /** The grader target (resolveGrader): non-streaming, its own key and params. */
  target: Target;
  /** The run's retry policy: a 429 or a 5xx from the grader is retried like a job's. */
  retryPolicy: RetryPolicy;
  /** The run's timeouts; the connect timeout goes to the grader's own transport. */
  timeouts: Timeouts & { connectMs?: number };
  /** Connections to the grader's origin (requests beyond it wait in undici's queue). */
  connections: number;
  clock: Clock;
  random: () => number;
  /** Aborted when the run cancels in-flight requests: a grading then fails, it never hangs. */
  abort: AbortSignal;
}

/**
 * A grader target behind the Grader interface: each judge assertion is one chat completion with
 * the grading prompt (grading-prompt.ts), answered with a JSON verdict. It has its own undici Pool
 * (a slow grader never takes a connection from the targets being measured) and its own counts:
 * its requests are not jobs, so they pass no limiter and appear in no target's metrics. Retries
 * follow `decideRetry`, the one place that decides them; this loop only carries them out.
 */
export class ModelGrader {
  private readonly transport: Transport;
  private requests = 0;
  private verdicts = 0;
  private errors = 0;
  private readonly usage = { promptTokens: 0, completionTokens: 0, totalTokens: 0, cachedTokens: 0 };

  constructor(private readonly options: ModelGraderOptions) {
    this.transport = new Transport({
      connections: Math.max(1, options.connections),
      ...(options.timeouts.connectMs ? { connectTimeoutMs: options.timeouts.connectMs } : {}),
    });
  }

  /** The Grader the run's judge assertions call. */
  readonly grade: Grader = async (rubric, output, input) => {
    const { target } = this.options;
    const who = `grader ${target.model}`;
    const answer = await this.ask(gradingMessages(rubric, output, input));
    // A cut-off (`length`) answer is read too: a verdict that fits is a verdict.
    if (answer.outcome !== 'ok' && answer.outcome !== 'length') {
      this.errors++;
      const why = answer.error?.message ?? answer.outcome;
      throw new Error(`${who} gave no verdict (${answer.outcome}): ${why}`);
    }
    const verdict = parseGraderAnswer(answer.text);
    if ('problem' in verdict) {
      this.errors++;
      throw new Error(`${who} ${verdict.problem}`);
    }
    this.verdicts++;
    return { ...verdict, reason: `${who}: ${verdict.reason}` } satisfies GraderVerdict;
  };

  /** One grading request, tried again while the retry policy says so. */
  private async ask(messages: ReturnType<typeof gradingMessages>): Promise<AttemptResult> {
    const { target, retryPolicy, timeouts, clock, random, abort } = this.options;
    for (let n = 1; ; n++) {
      this.requests++;
      const attempt = await sendCompletion(
        this.transport,
        target,
        messages,
        {},
        {
          signal: abort,
          now: clock.now,
          timeouts,
        },
      );
      this.count(attempt);
      const decision = decideRetry(attempt, n, retryPolicy, random, clock.wallNow());
      if (!decision.retry || abort.aborted) return attempt;
      await clock.sleep(decision.delayMs, abort);
      if (abort.aborted) return attempt;
    }
  }

  private count(attempt: AttemptResult): void {
    // An error answer carries no usage the server billed; the client's estimate would invent one.
    if (attempt.usage.source !== 'server') return;
    this.usage.promptTokens += attempt.usage.promptTokens;
    this.usage.completionTokens += attempt.usage.completionTokens;
    this.usage.totalTokens += attempt.usage.totalTokens;
    this.usage.cachedTokens += attempt.usage.cachedTokens ?? 0;
  }

  /** The report's `grader` block. */
  stats(): ReportGrader {
    const { target } = this.options;
    const { cachedTokens, ...usage } = this.usage;
    return {
      model: target.model,
      baseUrl: redactUrl(target.baseUrl),
      apiKeyEnv: target.apiKeyEnv,
      requests: this.requests,
      verdicts: this.verdicts,
      errors: this.errors,
      usage: { ...usage },
      cost: summarizeCost({ ...usage, cachedTokens }, target.price),
    };
  }

  async close(): Promise<void> {
    await this.transport.close();
  }
}
