/**
 * The one place that decides what is secret. Everything stepbench writes — console, results.jsonl,
 * report.json and every report built from them — goes through these functions, so a rule added
 * here holds for every output at once. Reports and CI logs are shared far more widely than keys.
 */

/** What a secret is replaced with in text, headers and argv. */
export const REDACTED = '[REDACTED]';
/** What replaces credentials inside a URL: keeps it URL-shaped (`http://***@host`). */
const URL_MARK = '***';

// Names (of headers, query parameters, config keys) whose values are credentials: Authorization,
// Proxy-Authorization, X-Api-Key, Api-Key, Ocp-Apim-Subscription-Key, Cookie, Set-Cookie,
// X-Auth-Token, X-Amz-Security-Token, X-Goog-Api-Key, X-Signature, Azure's `sig`… Hiding a
// harmless header's value costs a report a detail; missing a secret one leaks a key.
const SECRET_NAME = /auth|key|token|secret|passw|pwd|cookie|signature|\bsig\b|credential|session/i;

// Command-line flags are narrower: `--max-tokens` and `--timeout-first-token` hold no secret,
// `--api-key-env` names a variable. A flag is secret when its last word is a credential word.
const SECRET_FLAG =
  /^token$|(?:^|-)(?:api|access|auth|bearer|session|refresh|id)-?token$|(?:^|-)(?:(?:api-?)?key|secret|password|passwd|auth|authorization|cookie|credentials?)$/;

// Known values shorter than this are not credentials worth mangling every word they match.
const MIN_SECRET_LENGTH = 4;

// `scheme://userinfo@`: greedy up to the last `@` of the authority, since passwords may hold one.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#"'<>]+@/gi;
// `?name=value` / `&name=value`; the value is hidden when the name is a secret one.
const QUERY_PARAM = /([?&;])([^=&\s#"'<>]+)=([^&\s#"'<>]*)/g;
// A bearer credential echoed by a proxy or an undici error must not leak even when it is not one
// of the secrets we were told about; likewise Basic credentials and `sk-…` style API keys.
const BEARER = /\bBearer\s+[^\s"',;]+/gi;
// Basic credentials are base64 with a digit or symbol somewhere; prose ("Basic authentication") is not.
const BASIC = /\bBasic\s+(?=[A-Za-z0-9+/=]*[0-9+/=])[A-Za-z0-9+/]{8,}={0,2}/gi;
const KEY_LIKE = /\bsk[-_][A-Za-z0-9_-]{8,}/g;
// `Name: value` or the mistaken `Name=value` of a `--header` argument.
const HEADER_ARG = /^([^:=]*?)(\s*[:=]\s*)(.*)$/s;
const AUTH_SCHEME = /^(?:Bearer|Basic|Token)\s+/i;

/** Whether a header, query parameter or config key of this name holds a credential. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Strips credentials from URLs: userinfo (`http://u:p@host` → `http://***@host`) and secret query values. */
export function redactUrl(text: string): string {
  return text
    .replace(URL_USERINFO, `$1${URL_MARK}@`)
    .replace(QUERY_PARAM, (all, sep: string, name: string) =>
      isSecretName(name) ? `${sep}${name}=${URL_MARK}` : all,
    );
}

/**
 * Free text (error messages, argv words, header values): every known secret value, then any URL
 * credentials, `Bearer`/`Basic` credentials and `sk-…` keys, whether known or not.
 */
export function redactText(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  // Longest first, so a secret that contains another is hidden whole.
  const known = secrets.filter((s): s is string => s !== undefined && s.length >= MIN_SECRET_LENGTH);
  for (const secret of known.sort((a, b) => b.length - a.length)) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return redactUrl(out)
    .replace(BEARER, `Bearer ${REDACTED}`)
    .replace(BASIC, `Basic ${REDACTED}`)
    .replace(KEY_LIKE, REDACTED);
}

/** Header values that may hold credentials become REDACTED; names stay, so users see what was sent. */
export function redactHeaders(
  headers: Record<string, string>,
  secrets: readonly (string | undefined)[] = [],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = isSecretName(name) ? REDACTED : redactText(value, secrets);
  }
  return out;
}

/** One `--header` argument, `Name: value` (or a mistaken `Name=value`), with its value redacted as needed. */
export function redactHeaderArg(arg: string, secrets: readonly (string | undefined)[] = []): string {
  const match = HEADER_ARG.exec(arg);
  if (!match) return redactText(arg, secrets);
  const [, name = '', sep = '', value = ''] = match;
  return `${name}${sep}${isSecretName(name) ? REDACTED : redactText(value, secrets)}`;
}

function isSecretFlag(flag: string): boolean {
  // `--apiKey` and `--api-key` are the same flag to yargs.
  const kebab = flag
    .replace(/^-+/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
  return SECRET_FLAG.test(kebab);
}

/**
 * A command line as it may be shown: `--header 'X-Api-Key: v'` and `--header=…` lose secret
 * values, `--api-key v` / `--token=v`-like flags lose theirs, and every word goes through
 * `redactText` (known secrets, URL credentials, bearer tokens, `sk-…` keys).
 */
export function redactArgv(argv: readonly string[], secrets: readonly (string | undefined)[] = []): string[] {
  const out: string[] = [];
  let expecting: 'header' | 'secret' | undefined;
  for (const arg of argv) {
    const flag = /^(--?[A-Za-z][\w-]*)(?:=(.*))?$/s.exec(arg);
    if (expecting === 'header' || (expecting === 'secret' && !flag)) {
      out.push(expecting === 'header' ? redactHeaderArg(arg, secrets) : REDACTED);
      expecting = undefined;
      continue;
    }
    expecting = undefined;
    const name = flag?.[1];
    const value = flag?.[2];
    if (name === '--header' || name === '--headers') {
      if (value === undefined) expecting = 'header';
      out.push(value === undefined ? name : `${name}=${redactHeaderArg(value, secrets)}`);
    } else if (name !== undefined && isSecretFlag(name)) {
      if (value === undefined) expecting = 'secret';
      out.push(value === undefined ? name : `${name}=${REDACTED}`);
    } else {
      out.push(redactText(arg, secrets));
    }
  }
  return out;
}

/**
 * The values that must never appear in any output about this target: its API key, the values of
 * its secret headers (with and without their auth scheme), and the credentials in its base URL.
 */
export function targetSecrets(target: {
  apiKey?: string;
  headers: Record<string, string>;
  baseUrl?: string;
}): string[] {
  const secrets: string[] = [];
  if (target.apiKey) secrets.push(target.apiKey);
  for (const [name, value] of Object.entries(target.headers)) {
    if (!value || !isSecretName(name)) continue;
    secrets.push(value);
    const bare = value.replace(AUTH_SCHEME, '');
    if (bare !== value && bare.length >= MIN_SECRET_LENGTH) secrets.push(bare);
  }
  if (target.baseUrl) secrets.push(...urlCredentials(target.baseUrl));
  return secrets;
}

/** The password of a URL's userinfo (the user name when there is no password: then it is the token). */
function urlCredentials(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  const credential = parsed.password || parsed.username;
  if (!credential) return [];
  const decoded = safeDecode(credential);
  return decoded === credential ? [credential] : [credential, decoded];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
