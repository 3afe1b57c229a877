/**
 * JSON that is safe inside `<script type="application/json">`. The HTML parser looks for
 * `</script`, `<!--` and `<script` inside every script element whatever its type, so each `<`,
 * `>` and `&` is written as a `\uXXXX` escape, which JSON.parse turns back into the character.
 * U+2028 and U+2029 are escaped too: they end lines in JavaScript source (older engines) and in
 * some editors, and the block must read back the same whatever opens it.
 */
export function scriptJson(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(/[<>&\u2028\u2029]/g, escapeChar);
}

function escapeChar(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Text for an HTML text node or a double-quoted attribute: the five characters with meaning there. */
export function htmlText(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
