export type JsonParse = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * `JSON.parse` with an error message that points into the file: V8 reports a character position,
 * which is turned into a physical line and column given the line `text` starts on.
 */
export function parseJsonText(text: string, firstLine: number): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(message);
    if (!position) return { ok: false, reason: `invalid JSON: ${message}` };
    const { line, column } = lineAndColumn(text, Number(position[1]), firstLine);
    const cleaned = message.replace(/\s*in JSON at position \d+.*$/, '');
    return { ok: false, reason: `invalid JSON at line ${line} column ${column}: ${cleaned}` };
  }
}

function lineAndColumn(text: string, position: number, firstLine: number): { line: number; column: number } {
  let line = firstLine;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < position; at = text.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, column: position - lineStart + 1 };
}
