/** One element of a top-level JSON array, as text, with the line it starts on. */
export interface JsonArrayElement {
  line: number;
  /** The element's JSON text, trimmed; empty for a hole such as `[{}, ,{}]` or a trailing comma. */
  text: string;
}

/** The array itself is malformed (not an array, text after `]`, never closed): nothing after can be trusted. */
export class JsonArrayStructureError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(reason);
    this.name = 'JsonArrayStructureError';
  }
}

type Where = 'before-array' | 'in-array' | 'after-array';

/**
 * Splits a top-level JSON array into element texts as chunks arrive, so a file of a million rows
 * never sits in memory at once. It only tracks what it needs to find element boundaries (strings,
 * escapes, bracket depth); each element is then checked by `JSON.parse` on its own, so a broken
 * element is one bad row rather than a broken file.
 */
export class JsonArraySplitter {
  private where: Where = 'before-array';
  private line = 1;
  private inElement = false;
  private elementLine = 0;
  private parts: string[] = [];
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The last thing in the array was a comma, so `]` or `,` now means an empty element. */
  private afterComma = false;

  /** Feeds the next chunk of text; returns the elements it completed. */
  push(chunk: string): JsonArrayElement[] {
    const done: JsonArrayElement[] = [];
    let elementStart = this.inElement ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const char = chunk[i]!;
      if (this.inElement) {
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (char === '\\') this.escaped = true;
          else if (char === '"') this.inString = false;
        } else if (char === '"') {
          this.inString = true;
        } else if (char === '{' || char === '[') {
          this.depth++;
        } else if ((char === '}' || char === ']') && this.depth > 0) {
          this.depth--;
        } else if (this.depth === 0 && (char === ',' || char === ']')) {
          this.parts.push(chunk.slice(elementStart, i));
          done.push({ line: this.elementLine, text: this.parts.join('').trim() });
          this.parts = [];
          this.inElement = false;
          elementStart = -1;
          this.afterComma = char === ',';
          if (char === ']') this.where = 'after-array';
        }
      } else if (!isWhitespace(char)) {
        this.outsideElement(char, done);
        if (this.inElement) {
          elementStart = i;
          i--; // read the element's first character again, now inside it
          continue;
        }
      }
      if (char === '\n') this.line++;
    }
    if (this.inElement) this.parts.push(chunk.slice(elementStart));
    return done;
  }

  /** Call at end of input: throws if the array never closed. */
  end(): void {
    if (this.where === 'before-array')
      throw new JsonArrayStructureError(this.line, 'the file holds no JSON array');
    if (this.where === 'in-array') {
      const from = this.inElement ? this.elementLine : this.line;
      throw new JsonArrayStructureError(
        from,
        this.inElement
          ? 'this array element never ends: unbalanced brackets or an unterminated string'
          : 'the JSON array is never closed with "]"',
      );
    }
  }

  private outsideElement(char: string, done: JsonArrayElement[]): void {
    if (this.where === 'before-array') {
      if (char === '[') {
        this.where = 'in-array';
        return;
      }
      if (char === '\uFEFF') return;
      const hint = char === '{' ? ' (one JSON object per line? name the file .jsonl)' : '';
      throw new JsonArrayStructureError(this.line, `expected a JSON array of rows starting with "["${hint}`);
    }
    if (this.where === 'after-array') {
      throw new JsonArrayStructureError(this.line, `unexpected text after the closing "]" of the array`);
    }
    if (char === ']') {
      if (this.afterComma) done.push({ line: this.line, text: '' });
      this.where = 'after-array';
      return;
    }
    if (char === ',') {
      done.push({ line: this.line, text: '' });
      this.afterComma = true;
      return;
    }
    this.inElement = true;
    this.elementLine = this.line;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
  }
}

function isWhitespace(char: string): boolean {
  return char === ' ' || char === '\n' || char === '\r' || char === '\t';
}
