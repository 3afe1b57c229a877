import type { ServerResponse } from 'node:http';
import type { Random } from '../random.js';
import type { MockQuirks } from './options.js';

type FramingQuirks = Pick<MockQuirks, 'crlf' | 'noSpaceAfterData' | 'keepAliveComments' | 'splitWrites'>;

/**
 * Frames SSE events onto a response, applying the wire quirks: CRLF, `data:` without a space,
 * `: keep-alive` comments, and tiny writes. With tiny writes, pieces of 1–3 bytes go out one per
 * event-loop turn so they leave as separate writes (and, on loopback, mostly separate reads),
 * cutting through multi-byte UTF-8 characters.
 */
export class SseWriter {
  private readonly newline: string;
  private readonly prefix: string;
  private readonly pending: Buffer[] = [];
  private offset = 0;
  private draining = false;
  private ending = false;
  private destroyAtEnd = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly quirks: FramingQuirks,
    private readonly random: Random,
    /** Called just before each piece is written: the caller's ground truth of the last write. */
    private readonly onWrite: () => void = () => {},
  ) {
    this.newline = quirks.crlf ? '\r\n' : '\n';
    this.prefix = quirks.noSpaceAfterData ? 'data:' : 'data: ';
  }

  /** Writes one `data:` event (its payload must be a single line, as compact JSON is). */
  data(payload: string): void {
    const nl = this.newline;
    const keepAlive = this.quirks.keepAliveComments ? `: keep-alive${nl}${nl}` : '';
    this.write(`${keepAlive}${this.prefix}${payload}${nl}${nl}`);
  }

  /** Ends the response once every queued piece is out. */
  end(): void {
    this.ending = true;
    if (!this.draining) this.finish();
  }

  /** Destroys the socket once every queued piece is out: an abrupt close, no terminating chunk. */
  abort(): void {
    this.destroyAtEnd = true;
    this.end();
  }

  private get gone(): boolean {
    return this.res.destroyed || this.res.writableEnded;
  }

  private write(text: string): void {
    if (this.gone) return;
    if (!this.quirks.splitWrites) {
      this.onWrite();
      this.res.write(text);
      return;
    }
    this.pending.push(Buffer.from(text, 'utf8'));
    if (!this.draining) {
      this.draining = true;
      this.drainOnePiece();
    }
  }

  private drainOnePiece = (): void => {
    const buffer = this.pending[0];
    if (this.gone || buffer === undefined) {
      this.draining = false;
      if (this.ending) this.finish();
      return;
    }
    const size = 1 + Math.floor(this.random() * 3);
    const end = Math.min(buffer.length, this.offset + size);
    this.onWrite();
    this.res.write(buffer.subarray(this.offset, end));
    this.offset = end;
    if (end >= buffer.length) {
      this.pending.shift();
      this.offset = 0;
    }
    setImmediate(this.drainOnePiece);
  };

  private finish(): void {
    if (this.gone) return;
    if (!this.destroyAtEnd) this.res.end();
    // Ending the socket (not the response) flushes what was written, then closes the connection
    // without HTTP's terminating chunk: the client sees the body break off mid-stream.
    else if (this.res.socket) this.res.socket.end();
    else this.res.destroy();
  }
}
