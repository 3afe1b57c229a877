import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import type { PageRow, PageRows } from './page-rows.js';

/** Text collected before it is handed to gzip: large enough to compress well, small next to the rows. */
const FLUSH_CHARS = 1 << 20;

/**
 * The page's rows as gzip-compressed JSON (`PageRows`), compressed as they arrive: the text of
 * 200,000 rows never sits in memory whole, only its compressed form (a tenth of it or less), so
 * building the page of a million-row run stays within a few tens of MB. The names the rows'
 * indexes point to come last, once every row is known; JSON does not care about key order.
 */
export class PackedRows {
  private readonly gzip = createGzip();
  private readonly compressed: Buffer[] = [];
  private pending: string[] = ['{"rows":['];
  private pendingChars = 0;
  private first = true;

  constructor() {
    this.gzip.on('data', (chunk: Buffer) => this.compressed.push(chunk));
  }

  async add(row: PageRow): Promise<void> {
    const text = JSON.stringify(row);
    this.pending.push(this.first ? text : `,${text}`);
    this.first = false;
    this.pendingChars += text.length + 1;
    if (this.pendingChars >= FLUSH_CHARS) await this.flush();
  }

  /** Ends the JSON with `names` and returns the whole gzip stream. */
  async finish(names: Omit<PageRows, 'rows'>): Promise<Buffer> {
    this.pending.push(`],${JSON.stringify(names).slice(1)}`);
    await this.flush();
    const ended = once(this.gzip, 'end');
    this.gzip.end();
    await ended;
    return Buffer.concat(this.compressed);
  }

  private async flush(): Promise<void> {
    const text = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    if (!this.gzip.write(text, 'utf8')) await once(this.gzip, 'drain');
  }
}
