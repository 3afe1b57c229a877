import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserError } from '../errors.js';
import { createRandom, mixSeed } from '../random.js';
import { checkAuth } from './auth.js';
import { handleControl } from './control.js';
import { type Exchange, sendError } from './exchange.js';
import { type MockOptions, type MockOptionsInput, resolveMockOptions } from './options.js';
import { matchRoute } from './routes.js';
import { createAdmission, createMockState } from './state.js';
import { type MockStats, MockStatsRecorder } from './stats.js';
import { notFound } from './wire-errors.js';

export interface MockServer {
  /** Base URL a client uses, e.g. `http://127.0.0.1:PORT/v1`. */
  url: string;
  port: number;
  stats: MockStats;
  /** The resolved options the server runs with. */
  options: MockOptions;
  /** Stops listening, cuts open connections (streams included) and resolves when closed. */
  close(): Promise<void>;
}

/** Idle keep-alive sockets live a little longer than typical client pools keep them. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
const HEADERS_TIMEOUT_MS = 66_000;

function sendControlBug(res: ServerResponse, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  res.writeHead(500, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ error: { message: `mock bug: ${message}`, type: 'server_error' } }));
}

/**
 * Starts a StepFun-compatible mock on node:http. Every response carries a unique `X-Trace-Id`;
 * every chat completion leaves a ground-truth record in `stats`.
 */
export async function startMockServer(input: MockOptionsInput = {}): Promise<MockServer> {
  const options = resolveMockOptions(input);
  const admission = createAdmission(options);
  const stats = new MockStatsRecorder(options.maxRecords, () => admission.inForce());
  const state = createMockState(options, stats, admission);
  let requestNumber = 0;
  // Responses still open, so close() can wait until each has been counted and recorded.
  const openResponses = new Map<ServerResponse, Promise<void>>();

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const receivedAt = performance.now();
    const traceId = randomUUID();
    res.setHeader('X-Trace-Id', traceId);
    const url = new URL(req.url ?? '/', 'http://mock.invalid');
    if (url.pathname.startsWith('/_mock/')) {
      handleControl(req, res, url, { stats, admission }).catch((error: unknown) => {
        if (res.headersSent) res.destroy();
        else sendControlBug(res, error);
      });
      return;
    }

    const route = matchRoute(req.method ?? 'GET', url.pathname);
    // Metadata reads (models, account, token count) are not load: a client that warms its
    // connections with GET /v1/models must not change what the stats say it sent.
    const counted = route?.recorded ?? true;
    if (counted) stats.requestStarted();
    const number = requestNumber++;
    const ex: Exchange = {
      req,
      res,
      options,
      traceId,
      requestNumber: number,
      state,
      random: createRandom(mixSeed(options.seed, number, 0x5eed)),
      record: {
        traceId,
        model: '',
        stream: false,
        receivedAt,
        headersAt: Number.NaN,
        promptTokens: 0,
        completionTokens: 0,
        reasoningTokens: 0,
      },
    };
    let closed!: () => void;
    openResponses.set(res, new Promise<void>((resolve) => (closed = resolve)));
    res.once('close', () => {
      const endAt = performance.now();
      // 0 = the client left before any response was written (statusCode would claim 200).
      const status = res.headersSent ? res.statusCode : 0;
      if (counted) stats.requestEnded(status);
      if (route?.recorded) {
        const clientClosed = !res.writableFinished && !ex.closedByServer;
        stats.addRecord({
          ...ex.record,
          // A client that left before any headers: say so rather than leave NaN.
          headersAt: Number.isNaN(ex.record.headersAt) ? endAt : ex.record.headersAt,
          status,
          endAt,
          ...(clientClosed ? { clientClosed } : {}),
        });
      }
      openResponses.delete(res);
      closed();
    });

    if (!route) {
      req.resume();
      return sendError(ex, notFound(`No route for ${req.method} ${url.pathname}`));
    }
    const authError = checkAuth(req.headers.authorization, options.apiKey);
    if (authError) {
      req.resume();
      return sendError(ex, authError);
    }
    Promise.resolve(route.handler(ex)).catch((error: unknown) => {
      // A bug in the mock must not take the process down mid-bench; answer 500 and say why.
      const message = error instanceof Error ? error.message : String(error);
      if (!res.headersSent)
        sendError(ex, { status: 500, type: 'server_error', message: `mock bug: ${message}` });
      else res.destroy();
    });
  };

  const server = createServer(
    {
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      headersTimeout: HEADERS_TIMEOUT_MS,
      requestTimeout: 0,
      noDelay: true,
    },
    handle,
  );
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      const where = `${options.host}:${options.port}`;
      if (error.code === 'EADDRINUSE')
        reject(new UserError(`mock: ${where} is already in use; pick another --port (0 = any free port)`));
      else if (error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL')
        reject(new UserError(`mock: cannot listen on ${where} (${error.code}); check --host and --port`));
      else reject(error);
    };
    server.once('error', failed);
    server.listen(options.port, options.host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostForUrl}:${address.port}/v1`,
    port: address.port,
    stats,
    options,
    close() {
      closing ??= (async () => {
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await serverClosed;
        await Promise.all(openResponses.values());
      })();
      return closing;
    },
  };
}
