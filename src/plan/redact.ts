const SECRET_HEADER = /authorization|api[-_]?key|token|secret|cookie|password/i;

/** Header values that may hold credentials become `[redacted]`; names stay so users see what was sent. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    out[name] = SECRET_HEADER.test(name) ? '[redacted]' : value;
  return out;
}

/** Replace every occurrence of each secret in `text`; used on argv and error messages before they are written. */
export function redactText(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}
