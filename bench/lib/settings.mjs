/**
 * `node bench/run.mjs SUITE --set name=value`: one suite setting from the command line, read by
 * the type of that setting's default, so a subset of a matrix can be run without editing code:
 *   array   → comma-separated (`shapes=token-bucket,sliding`), or JSON when it starts with '['
 *   number  → a finite number;  boolean → true / false;  object → JSON;  string → as given
 */
export function parseSetting(entry, defaults) {
  const eq = entry.indexOf('=');
  if (eq < 1) throw new Error(`--set ${entry}: write it as name=value`);
  const name = entry.slice(0, eq);
  const text = entry.slice(eq + 1);
  if (!Object.hasOwn(defaults, name))
    throw new Error(`--set ${name}: no such setting; known: ${Object.keys(defaults).join(', ')}`);
  const fallback = defaults[name];
  const json = () => {
    try {
      return JSON.parse(text);
    } catch {
      throw new Error(`--set ${name}: "${text}" is not JSON`);
    }
  };
  let value;
  if (Array.isArray(fallback))
    value = text.startsWith('[')
      ? json()
      : text
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean);
  else if (typeof fallback === 'number') {
    value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value))
      throw new Error(`--set ${name}: "${text}" is not a number`);
  } else if (typeof fallback === 'boolean') {
    if (text !== 'true' && text !== 'false') throw new Error(`--set ${name}: give true or false`);
    value = text === 'true';
  } else if (fallback !== null && typeof fallback === 'object') value = json();
  else value = text;
  return { name, value };
}
