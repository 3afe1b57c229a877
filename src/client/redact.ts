const REDACTED = '[REDACTED]';

// A bearer credential echoed by a proxy or an undici error (e.g. a dumped request) must not leak
// even when it is not one of the secrets we were told about.
const BEARER_TOKEN = /\bBearer\s+[^\s"',;]+/gi;

/**
 * Replaces every occurrence of each secret in `text`, plus any `Bearer <token>`, with a marker.
 * Every error message that leaves the client goes through here: messages end up in results.jsonl,
 * reports and CI logs, which are shared far more widely than the key.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out.replace(BEARER_TOKEN, `Bearer ${REDACTED}`);
}

// Header names whose values are credentials (`--header 'x-api-key: …'`, cookies, tokens).
const SECRET_HEADER = /auth|key|token|secret|cookie|password/i;

/** The strings that must never appear in anything the client returns for this target. */
export function targetSecrets(target: { apiKey?: string; headers: Record<string, string> }): string[] {
  const secrets: string[] = [];
  if (target.apiKey) secrets.push(target.apiKey);
  for (const [name, value] of Object.entries(target.headers)) {
    if (value && SECRET_HEADER.test(name)) secrets.push(value);
  }
  return secrets;
}
