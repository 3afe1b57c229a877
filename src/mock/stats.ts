import { FAULT_KINDS, type FaultKind } from './faults.js';
import type { LimitName, LimitsInForce } from './limits.js';

/**
 * Ground truth: what the mock did, so tests and benchmarks can check a client's measurements.
 *
 * Times are `performance.now()` ms in the mock's process; an in-process client shares the clock.
 * Derived server-side timings a caller can compute from a record:
 * - server TTFT   = firstTokenAt − receivedAt  (streams only; time to the first text-bearing chunk)
 * - server TTFB   = headersAt − receivedAt
 * - server e2e    = endAt − receivedAt
 */
export interface MockRequestRecord {
  /** The `X-Trace-Id` sent with the response. */
  traceId: string;
  /** Model from the body; '' when the request never got that far (401, bad JSON). */
  model: string;
  stream: boolean;
  /** HTTP status sent; 0 when the client went away before any response was written. */
  status: number;
  /** When the request's headers arrived (handler entry). */
  receivedAt: number;
  /** Just before the response headers were written (ground-truth times are taken before the write). */
  headersAt: number;
  /** Just before the first chunk with non-empty reasoning or content was written (streams only). */
  firstTokenAt?: number;
  /**
   * When the last piece of the response was handed to the socket, taken just before that write:
   * no client can see the response end earlier. Absent when nothing was written.
   */
  lastWriteAt?: number;
  /** When the response closed (after the flush; a client may have read the end before it), or the client went away. */
  endAt: number;
  promptTokens: number;
  /** Tokens actually sent, reasoning included. */
  completionTokens: number;
  reasoningTokens: number;
  /** True when the client closed the connection before the response was complete. */
  clientClosed?: boolean;
  /** The limit a 429 was sent for. */
  limitedBy?: LimitName;
  /** The fault injected into this request (random, balance or moderation). */
  fault?: FaultKind;
  /** Set when the server-side time cap (`maxRequestMs`) ended the request. */
  capped?: 'cap503' | 'capCut';
}

export type RateLimitedCounts = Record<LimitName, number>;
export type FaultCounts = Record<FaultKind, number>;

const zeroRateLimited = (): RateLimitedCounts => ({ concurrency: 0, rpm: 0, tpm: 0 });
const zeroFaults = (): FaultCounts => Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as FaultCounts;

export interface MockStatsSnapshot {
  /** Every request except the mock's own `/_mock/*` routes and the metadata reads (`GET /v1/models`, `/v1/accounts`, token count). */
  requests: number;
  /** Responses by HTTP status, e.g. `{"200": 10, "401": 1}`; `"0"` counts clients gone before any response. */
  byStatus: Record<string, number>;
  inFlight: number;
  maxInFlight: number;
  /** 429s sent, by the limit that was hit. */
  rateLimited: RateLimitedCounts;
  /**
   * The limits in force when the snapshot was taken, and the shape of RPM / TPM (they may move
   * during a run: `--limit-schedule`, `POST /_mock/limits`). Present on a server's stats.
   */
  limits?: LimitsInForce;
  /**
   * Faults injected, by kind. `stall` counts when the stall starts; `cap503`/`capCut` count when the
   * time cap fires (also on a stalled request, which then counts under both).
   */
  faults: FaultCounts;
  /** One per `POST /v1/chat/completions`, oldest first; bounded by `maxRecords`. */
  records: MockRequestRecord[];
}

/** Live stats; `records` is a fresh array on every read, so keep a reference if you read it often. */
export interface MockStats extends MockStatsSnapshot {
  snapshot(): MockStatsSnapshot;
  reset(): void;
}

/**
 * Counters plus a ring buffer of records, so a long bench keeps memory flat and adding a record
 * stays O(1).
 */
export class MockStatsRecorder implements MockStats {
  requests = 0;
  byStatus: Record<string, number> = {};
  inFlight = 0;
  maxInFlight = 0;
  rateLimited = zeroRateLimited();
  faults = zeroFaults();
  private ring: MockRequestRecord[] = [];
  /** Index of the oldest record once the ring is full. */
  private head = 0;

  /** `limitsInForce` is the server's admission, read at each snapshot. */
  constructor(
    private readonly maxRecords: number,
    private readonly limitsInForce?: () => LimitsInForce,
  ) {}

  get limits(): LimitsInForce | undefined {
    return this.limitsInForce?.();
  }

  get records(): MockRequestRecord[] {
    return [...this.ring.slice(this.head), ...this.ring.slice(0, this.head)];
  }

  requestStarted(): void {
    this.requests++;
    this.inFlight++;
    if (this.inFlight > this.maxInFlight) this.maxInFlight = this.inFlight;
  }

  requestEnded(status: number): void {
    this.inFlight--;
    const key = String(status);
    this.byStatus[key] = (this.byStatus[key] ?? 0) + 1;
  }

  countRateLimited(reason: LimitName): void {
    this.rateLimited[reason]++;
  }

  countFault(kind: FaultKind): void {
    this.faults[kind]++;
  }

  addRecord(record: MockRequestRecord): void {
    if (this.maxRecords === 0) return;
    if (this.ring.length < this.maxRecords) {
      this.ring.push(record);
      return;
    }
    this.ring[this.head] = record;
    this.head = (this.head + 1) % this.maxRecords;
  }

  snapshot(): MockStatsSnapshot {
    return {
      requests: this.requests,
      byStatus: { ...this.byStatus },
      inFlight: this.inFlight,
      maxInFlight: this.maxInFlight,
      rateLimited: { ...this.rateLimited },
      ...(this.limitsInForce ? { limits: this.limitsInForce() } : {}),
      faults: { ...this.faults },
      records: this.records,
    };
  }

  /** Clears counts and records; requests still in flight stay counted as in flight. */
  reset(): void {
    this.requests = 0;
    this.byStatus = {};
    this.maxInFlight = this.inFlight;
    this.rateLimited = zeroRateLimited();
    this.faults = zeroFaults();
    this.ring = [];
    this.head = 0;
  }
}
