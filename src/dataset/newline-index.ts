const LINE_FEED = 0x0a;

/**
 * Maps byte offsets of a file read in order to 1-based physical line numbers.
 *
 * csv-parse's own `info.lines` counts a CRLF inside a quoted field as two lines, so CSV line
 * numbers are computed here from the bytes themselves. Only newlines not yet passed by a query are
 * kept, so memory stays bounded by what has been read ahead of the parser.
 */
export class NewlineIndex {
  private pending: number[] = [];
  private head = 0;
  private indexedBytes = 0;
  private newlinesPassed = 0;
  private lastQuery = 0;

  /** Record the newlines of the next chunk of the file (chunks must be added in file order). */
  add(chunk: Uint8Array): void {
    let at = chunk.indexOf(LINE_FEED);
    while (at !== -1) {
      this.pending.push(this.indexedBytes + at);
      at = chunk.indexOf(LINE_FEED, at + 1);
    }
    this.indexedBytes += chunk.length;
  }

  /**
   * The line holding the byte at `offset`. Queries must not go backwards: passed newlines are
   * forgotten to keep memory constant.
   */
  lineAt(offset: number): number {
    if (offset < this.lastQuery) {
      throw new Error(`NewlineIndex queried backwards (${offset} after ${this.lastQuery})`);
    }
    this.lastQuery = offset;
    while (this.head < this.pending.length && this.pending[this.head]! < offset) {
      this.head++;
      this.newlinesPassed++;
    }
    if (this.head > 1024 && this.head * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.head);
      this.head = 0;
    }
    return this.newlinesPassed + 1;
  }
}

/** How many line breaks the given field values contain (a CRLF counts once). */
export function countLineBreaks(values: Iterable<unknown>): number {
  let breaks = 0;
  for (const value of values) {
    if (typeof value !== 'string') continue;
    let at = value.indexOf('\n');
    while (at !== -1) {
      breaks++;
      at = value.indexOf('\n', at + 1);
    }
  }
  return breaks;
}
