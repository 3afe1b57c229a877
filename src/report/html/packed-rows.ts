import { once } from 'node:events';
import { Transform, type TransformCallback } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { PageRow, PageRows } from './page-rows.js';

/** Text collected before it is handed to gzip: large enough to compress well, small next to the rows. */
const FLUSH_CHARS = 1 << 20;

/**
 * The page's rows as gzip-compressed JSON (`PageRows`), compressed as they arrive and read from
 * `output` as they are compressed: neither the text of 200,000 rows nor its compressed form sits
 * in memory whole, so the page of a million-row run is written in a few MB. The names the rows'
 * indexes point to come last, once every row is known; JSON does not care about key order.
 */
export class PackedRows {
  private readonly gzip = createGzip();
  private pending: string[] = ['{"rows":['];
  private pendingChars = 0;
  private first = true;

  /** The gzip stream; pipe it on (through `Base64Text`) before adding rows. */
  get output(): NodeJS.ReadableStream {
    return this.gzip;
  }

  /** Abandons the page (an error while it was written). */
  destroy(): void {
    this.gzip.destroy();
  }

  async add(row: PageRow): Promise<void> {
    const text = JSON.stringify(row);
    this.pending.push(this.first ? text : `,${text}`);
    this.first = false;
    this.pendingChars += text.length + 1;
    if (this.pendingChars >= FLUSH_CHARS) await this.flush();
  }

  /** Ends the JSON with `names` and the gzip stream after it. */
  async finish(names: Omit<PageRows, 'rows'>): Promise<void> {
    this.pending.push(`],${JSON.stringify(names).slice(1)}`);
    await this.flush();
    this.gzip.end();
  }

  private async flush(): Promise<void> {
    const text = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    if (!this.gzip.write(text, 'utf8')) await once(this.gzip, 'drain');
  }
}

/** Bytes in, base64 text out, in pieces: each piece encodes a multiple of three bytes, so the pieces join into one valid base64 text. */
export class Base64Text extends Transform {
  private carry: Buffer = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const whole = bytes.length - (bytes.length % 3);
    this.carry = Buffer.from(bytes.subarray(whole));
    done(null, bytes.subarray(0, whole).toString('base64'));
  }

  override _flush(done: TransformCallback): void {
    done(null, this.carry.toString('base64'));
  }
}
