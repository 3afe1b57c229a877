import { subscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { buildConnector } from 'undici';

/**
 * When a request really left: undici publishes `undici:client:sendHeaders` the moment it has
 * written a request's headers to the socket — after any connection set-up, after the request
 * waited for a free connection. DESIGN §3 starts ttfb, ttft and e2e there, so a cold connection,
 * TLS, or the HTTP parser's start-up never lands in them.
 *
 * The channel's message carries undici's internal request object, whose `body` is the very Buffer
 * the caller passed (undici keeps a Buffer body as it is). So an attempt registers its body here,
 * and the subscriber finds the attempt by it: no header added to the request, no internal symbol.
 */

/** Connection set-up of one socket (TCP, and TLS for https), performance.now() ms. */
export interface ConnectTiming {
  startAt: number;
  endAt: number;
}

/**
 * The latest read on one socket: stamped as the chunk enters the socket (its push()), so it is taken
 * before undici parses the bytes and before any body chunk or the response headers reach the
 * attempt (which may be a promise hop, a nextTick or a paused stream later).
 */
export interface SocketReads {
  /** performance.now() ms of the latest read. */
  at: number;
}

/** What the wire said about one attempt. */
export interface WireTimes {
  /** When the headers were written to the socket; undefined while (or if never) written. */
  sentAt?: number;
  /** Set-up of the connection this attempt opened; undefined on a reused connection. */
  connect?: ConnectTiming;
  /** Reads of the socket the request went out on; undefined until then, or for a foreign socket. */
  reads?: SocketReads;
}

const watched = new WeakMap<Buffer, { times: WireTimes; now: () => number; onSent: () => void }>();
// Sockets whose set-up no attempt has claimed yet: the first request written on a socket is the
// one that waited for it (undici opens a connection for a request it cannot place elsewhere).
const unclaimed = new WeakMap<Socket, ConnectTiming>();
const socketReads = new WeakMap<Socket, SocketReads>();

interface SendHeadersMessage {
  request: { body?: unknown };
  socket: Socket;
}

function onSendHeaders(message: unknown): void {
  const { request, socket } = message as SendHeadersMessage;
  // Whatever request is first on a new socket claims its set-up, watched or not (a preconnect
  // GET has no body): later requests on the socket reused it.
  const connect = unclaimed.get(socket);
  if (connect) unclaimed.delete(socket);
  const body = request.body;
  if (!Buffer.isBuffer(body)) return;
  const entry = watched.get(body);
  if (!entry) return;
  watched.delete(body);
  const sentAt = entry.now();
  entry.times.sentAt = sentAt;
  const reads = socketReads.get(socket);
  if (reads) entry.times.reads = reads;
  entry.onSent();
  // The set-up was timed on performance.now(); carried over to the attempt's own clock as
  // distances back from this moment, so an injected clock sees consistent times.
  if (connect) {
    const wireNow = performance.now();
    entry.times.connect = {
      startAt: sentAt - (wireNow - connect.startAt),
      endAt: sentAt - (wireNow - connect.endAt),
    };
  }
}

// From the start: every request written on a timed socket must be seen, the preconnect's too.
subscribe('undici:client:sendHeaders', onSendHeaders);

/**
 * Starts watching the attempt whose request body is `body` (pass the same Buffer to undici).
 * The returned object fills in when the headers go out (and `onSent` is called then); `now` is
 * the attempt's clock.
 */
export function watchAttempt(body: Buffer, now: () => number, onSent: () => void = () => {}): WireTimes {
  const times: WireTimes = {};
  watched.set(body, { times, now, onSent });
  return times;
}

/**
 * undici's own connector, timed: each new socket remembers how long its set-up took, so the
 * attempt that first writes on it can report `connect`. Same clock as the default attempt clock.
 */
export function timedConnector(options: buildConnector.BuildOptions): buildConnector.connector {
  const connect = buildConnector(options);
  return (opts, callback) => {
    const startAt = performance.now();
    return connect(opts, (err, socket) => {
      if (!err && socket) {
        unclaimed.set(socket as Socket, { startAt, endAt: performance.now() });
        watchReads(socket as Socket);
      }
      callback(err, socket as never);
    });
  };
}

function watchReads(socket: Socket): void {
  const reads: SocketReads = { at: performance.now() };
  // Stamped where the bytes enter the process: libuv hands every chunk it read from the kernel to
  // the socket's own push(), before any 'readable' event and before undici parses it. A
  // 'readable' listener alone misses chunks that arrive while undici has stopped reading (a body
  // stream paused by its consumer): no new 'readable' fires for them, and the bytes would be
  // stamped with an older read — earlier than they came, which made a TTFT read shorter than the
  // server's own once under load. Pushed later than handled can only make a time later, never
  // earlier than the bytes arrived.
  const push = socket.push.bind(socket);
  socket.push = (chunk: unknown, encoding?: BufferEncoding) => {
    reads.at = performance.now();
    return push(chunk, encoding);
  };
  socketReads.set(socket, reads);
}

/**
 * When the bytes now being handled arrived, on the attempt's clock: the socket read that carried
 * them. The time from that read to the attempt's own handler (undici's parsing, the promise that
 * resolves with the headers, a body stream that was paused) is then not in ttfb, ttft or e2e. What
 * stays in is the time the bytes waited in the kernel before the read, which the event-loop delay
 * bounds (the report shows it). Without a watched socket it is simply `now()`.
 */
export function arrivalClock(times: WireTimes, now: () => number): () => number {
  // performance.now() → the attempt's clock, fixed at the first read: every read of the attempt is
  // carried over by the same amount, so two things that came in one read get the same time.
  let offset: number | undefined;
  return () => {
    const at = now();
    const reads = times.reads;
    if (!reads) return at;
    offset ??= at - performance.now();
    const arrived = reads.at + offset;
    // Never later than now, and a read from before the request was written cannot have carried
    // its answer (a kept-alive socket's last read belongs to the previous request).
    if (arrived > at || (times.sentAt !== undefined && arrived < times.sentAt)) return at;
    return arrived;
  };
}
