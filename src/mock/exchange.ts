import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Random } from '../random.js';
import type { MockOptions } from './options.js';
import type { MockState } from './state.js';
import type { MockRequestRecord } from './stats.js';
import { type WireError, wireErrorBody } from './wire-errors.js';

/** One request being answered: the raw pair, its options, randomness and the record being filled in. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  options: MockOptions;
  traceId: string;
  /** Arrival order (0-based, every route counted): with the seed, it fixes this request's randomness. */
  requestNumber: number;
  /** What the whole server shares: stats, rate-limit windows, the balance. */
  state: MockState;
  /** Per-request generator for delays and write splits, derived from (seed, request number). */
  random: Random;
  /** Ground truth being filled in; `endAt`/`status` are set when the response closes. */
  record: Omit<MockRequestRecord, 'endAt' | 'status'>;
  /** Set when the mock itself destroyed the socket (a fault), so the record doesn't blame the client. */
  closedByServer?: boolean;
}

/** Sends a complete JSON response and stamps `headersAt`. */
export function sendJson(
  ex: Exchange,
  status: number,
  body: string,
  extraHeaders: Record<string, string> = {},
): void {
  if (ex.res.headersSent || ex.res.destroyed) return;
  // Stamped before the write: ground truth says when, at the earliest, a client can see it.
  const at = performance.now();
  ex.record.headersAt = at;
  ex.record.lastWriteAt = at;
  ex.res.writeHead(status, {
    ...extraHeaders,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  });
  ex.res.end(body);
}

export function sendError(ex: Exchange, error: WireError, extraHeaders?: Record<string, string>): void {
  sendJson(ex, error.status, wireErrorBody(error), extraHeaders);
}

export type BodyResult = { kind: 'ok'; text: string } | { kind: 'too_large' } | { kind: 'aborted' };

/** Reads the whole request body as UTF-8 (decoded once at the end, so split characters are safe). */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    req.on('data', (part: Buffer) => {
      size += part.length;
      if (size > limitBytes) {
        // Stop buffering but keep draining so the 413 can still be written on this connection.
        parts.length = 0;
        settle({ kind: 'too_large' });
        return;
      }
      if (!settled) parts.push(part);
    });
    req.on('end', () => settle({ kind: 'ok', text: Buffer.concat(parts).toString('utf8') }));
    req.on('error', () => settle({ kind: 'aborted' }));
    req.on('close', () => settle({ kind: 'aborted' }));
  });
}
