/**
 * Text helpers shared by the string assertions. Both sides are NFC-normalised, so an accent typed
 * as one code point matches the same accent sent as letter + combining mark.
 */

export function nfc(text: string): string {
  return text.normalize('NFC');
}

/** Case-folded for the `i` variants (`toLowerCase`, locale-independent). */
export function folded(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

/** The start of the output for a failure reason, on one line. */
export function outputPreview(output: string, max = 80): string {
  const flat = output.replace(/\s+/g, ' ').trim();
  if (flat === '') return 'output is empty';
  const cut = flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  return `output: ${JSON.stringify(cut)}`;
}

/** `"a"`, `"a", "b"` for reasons. */
export function quoted(values: readonly string[]): string {
  return values.map((value) => JSON.stringify(value)).join(', ');
}
