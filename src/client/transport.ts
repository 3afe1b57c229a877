import { Pool } from 'undici';
import { timedConnector } from './wire-clock.js';

export interface TransportOptions {
  /** Connections per origin; set it to the run's max concurrency so no request queues in undici. */
  connections: number;
  /** undici connect timeout (ms). stepbench's own connect timer arrives with the retry issue. */
  connectTimeoutMs?: number;
  /** How long an idle keep-alive socket is kept (ms). */
  keepAliveTimeoutMs?: number;
  /** undici headers timeout (ms): a backstop only, see DEFAULT_BACKSTOP_TIMEOUT_MS. */
  headersTimeoutMs?: number;
  /** undici gap-between-body-chunks timeout (ms): a backstop only. */
  bodyTimeoutMs?: number;
}

/**
 * undici's own timeouts run on a coarse ~1 s timer wheel, so they are not precise enough to be
 * reported as latency metrics; stepbench measures its named timeouts with its own AbortSignal
 * timers. These backstops only make sure a silent socket is not held forever: a little over
 * StepFun's documented 10-minute server-side request cap.
 */
export const DEFAULT_BACKSTOP_TIMEOUT_MS = 11 * 60_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 30_000;

/**
 * One undici Pool per origin, created on first use and reused for the whole run, so connections
 * (and TLS sessions) are set up once and stay warm between requests.
 */
export class Transport {
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  private readonly options: TransportOptions;
  private readonly pools = new Map<string, Pool>();
  private closed = false;

  constructor(options: TransportOptions) {
    if (!Number.isInteger(options.connections) || options.connections < 1) {
      throw new RangeError(`connections must be a positive integer, got ${options.connections}`);
    }
    this.options = options;
    this.headersTimeoutMs = options.headersTimeoutMs ?? DEFAULT_BACKSTOP_TIMEOUT_MS;
    this.bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_BACKSTOP_TIMEOUT_MS;
  }

  /** The pool for `origin` (`https://host:port`), created on first use. */
  pool(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (pool) return pool;
    if (this.closed) throw new Error('the transport is closed');
    pool = new Pool(origin, {
      connections: this.options.connections,
      // Chat completions are POSTs, which undici never pipelines; 1 keeps keep-alive on.
      pipelining: 1,
      keepAliveTimeout: this.options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
      // undici's connector, timed per socket: the attempt that opens a connection reports it.
      connect: timedConnector({ timeout: this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS }),
      headersTimeout: this.headersTimeoutMs,
      bodyTimeout: this.bodyTimeoutMs,
    });
    this.pools.set(origin, pool);
    return pool;
  }

  /** Closes every pool gracefully: in-flight requests finish first. */
  async close(): Promise<void> {
    this.closed = true;
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }
}
