import type { LimiterState } from './limiter.js';

/** What held the run back, from the adaptive controller's evidence (design note 005). */
export interface BoundBy {
  kind: 'rate' | 'concurrency' | 'both' | 'none';
  /** One plain sentence for the console and the report. */
  summary: string;
}

function rate(perSec: number): string {
  return perSec >= 100 ? perSec.toFixed(0) : perSec >= 10 ? perSec.toFixed(1) : perSec.toFixed(2);
}

/**
 * The limit that bound the run: the server's rate limit when refusals came at in-flight levels it
 * had just accepted (the send pacer then held the rate), its concurrency limit when they came
 * above them (the concurrency limit then held), both, or neither. Judged by episodes, not single
 * refusals: the ramp at the start of a run overshoots with many requests at once, and one such
 * burst must not outvote the episodes that followed. One kind binds when it has at least twice
 * the other's episodes.
 */
export function whatBound(state: LimiterState): BoundBy {
  const { concurrency, rate: rated } = state.evidence.refusals;
  const total = concurrency + rated;
  const episodes = state.episodes;
  if (total === 0) return { kind: 'none', summary: 'no server limit was hit: nothing refused a request' };
  const rateText =
    state.ratePerSec !== null
      ? `held to ≈ ${rate(state.ratePerSec)} req/s by the server's rate limit (${rated} of ${total} refusals came at in-flight levels it had just accepted)`
      : '';
  const concurrencyText = `held to ${state.limit} in flight by the server's concurrency limit (${concurrency} of ${total} refusals came above the level it had just accepted)`;
  const allEpisodes = episodes.concurrency + episodes.rate;
  if (rated > 0 && state.ratePerSec !== null && episodes.rate >= 2 * episodes.concurrency) {
    const other =
      concurrency === 0
        ? 'concurrency never bound'
        : `concurrency bound in ${episodes.concurrency} of ${allEpisodes} episodes`;
    return { kind: 'rate', summary: `${rateText}; ${other}` };
  }
  if (concurrency > 0 && episodes.concurrency >= 2 * episodes.rate) {
    const other =
      rated === 0 ? 'no rate limit seen' : `a rate limit in ${episodes.rate} of ${allEpisodes} episodes`;
    return { kind: 'concurrency', summary: `${concurrencyText}; ${other}` };
  }
  return { kind: 'both', summary: `${rateText}; and ${concurrencyText}` };
}
