/**
 * Text for an XML 1.0 document from anything a model, a server or a dataset said. Model output
 * is untrusted: it may hold markup (`</failure>`, `]]>`, `<!--`), entities, and characters XML
 * 1.0 cannot carry at all (NUL and other C0 controls, lone surrogates, U+FFFE/U+FFFF), which
 * would make the whole file unreadable to a CI server, not just one test case.
 */

/** Code points XML 1.0 forbids (spec §2.2 `Char`); with the `u` flag lone surrogates match too. */
const ILLEGAL_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Shown in place of a character XML 1.0 cannot carry. */
export const REPLACEMENT_CHAR = '\uFFFD';

/** `text` with every character XML 1.0 forbids replaced by U+FFFD; everything else kept. */
export function xmlLegal(text: string): string {
  return text.replace(ILLEGAL_XML_CHARS, REPLACEMENT_CHAR);
}

/**
 * Element content: `&`, `<` and `>` as entities (so `]]>` cannot appear either) and CR as a
 * character reference, because a parser turns a literal CR into LF.
 */
export function xmlText(text: string): string {
  return xmlLegal(text).replace(/[&<>\r]/g, (c) => TEXT_ENTITIES[c] ?? c);
}

/**
 * An attribute value in double quotes: as element content plus `"`, and tab/LF/CR as character
 * references, because attribute-value normalisation turns literal ones into spaces.
 */
export function xmlAttr(text: string): string {
  return xmlLegal(text).replace(/[&<>"\t\n\r]/g, (c) => ATTR_ENTITIES[c] ?? c);
}

const TEXT_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };
const ATTR_ENTITIES: Record<string, string> = {
  ...TEXT_ENTITIES,
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
};

/**
 * At most `max` UTF-16 units of `text`, ending in `…` when cut. Never splits a surrogate pair,
 * so an emoji at the edge is dropped whole rather than left as a lone surrogate.
 */
export function excerpt(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}
