import { describe, expect, it } from 'vitest';
import { redactSecrets, targetSecrets } from '../../src/client/redact.js';

describe('redactSecrets', () => {
  it('removes every occurrence of every secret', () => {
    const out = redactSecrets('key sk-abc123 used twice: sk-abc123, and tok-9', ['sk-abc123', 'tok-9']);
    expect(out).not.toContain('sk-abc123');
    expect(out).not.toContain('tok-9');
    expect(out).toBe('key [REDACTED] used twice: [REDACTED], and [REDACTED]');
  });

  it('removes any bearer token, known or not', () => {
    expect(redactSecrets('sent authorization: Bearer xyz.987-secret; then failed', [])).toBe(
      'sent authorization: Bearer [REDACTED]; then failed',
    );
  });

  it('ignores empty and missing secrets and leaves clean text alone', () => {
    expect(redactSecrets('nothing to hide', ['', undefined])).toBe('nothing to hide');
  });
});

describe('targetSecrets', () => {
  it('lists the API key and the values of credential-looking headers only', () => {
    const secrets = targetSecrets({
      apiKey: 'sk-live',
      headers: {
        'X-Api-Key': 'k2',
        Cookie: 'c=1',
        'x-request-source': 'ci',
        'Proxy-Authorization': 'Basic zz',
      },
    });
    expect(secrets.sort()).toEqual(['Basic zz', 'c=1', 'k2', 'sk-live']);
  });
});
