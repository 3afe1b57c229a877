import type { ChatMessage } from '../dataset/types.js';
import { type Exchange, sendError } from './exchange.js';
import type { FaultKind } from './faults.js';
import { rateLimitHeaders } from './rate-limit-headers.js';
import { contentFiltered, quotaExceeded, rateLimited } from './wire-errors.js';

/**
 * The checks a valid chat request passes before any reply is planned, in the order a gateway
 * would run them: balance (402), rate limits (429), moderation (451). Each returns true when it
 * answered the request itself, and leaves its mark in the record and the ground-truth counts.
 */

export function markFault(ex: Exchange, kind: FaultKind): void {
  ex.record.fault = kind;
  ex.state.stats.countFault(kind);
}

/** 402 once `balanceRequests` replies have been billed. */
export function refuseWhenBalanceGone(ex: Exchange): boolean {
  const limit = ex.options.balanceRequests;
  if (limit === null || ex.state.billedReplies < limit) return false;
  markFault(ex, 'balance402');
  sendError(ex, quotaExceeded());
  return true;
}

/**
 * 429 when a limit is hit; otherwise holds a concurrency slot (and the request's tokens in the TPM
 * window) until the response closes, when the completion tokens actually sent are counted too.
 */
export function refuseOverLimit(ex: Exchange, promptTokens: number): boolean {
  const admission = ex.state.admission;
  const result = admission.tryAdmit(promptTokens);
  if (result.admitted) {
    ex.res.once('close', () => admission.release(result.ticket, ex.record.completionTokens));
    return false;
  }
  const { rejection } = result;
  ex.record.limitedBy = rejection.reason;
  ex.state.stats.countRateLimited(rejection.reason);
  sendError(ex, rateLimited(rejection.message), rateLimitHeaders(ex.options.retryAfter, rejection));
  return true;
}

/** 451 when the user's text matches `moderationPattern`. */
export function refuseModerated(ex: Exchange, messages: readonly ChatMessage[]): boolean {
  if (!ex.state.isModerated(messages)) return false;
  markFault(ex, 'moderation451');
  sendError(ex, contentFiltered());
  return true;
}
