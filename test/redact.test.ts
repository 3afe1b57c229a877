import { describe, expect, it } from 'vitest';
import {
  isSecretName,
  REDACTED,
  redactArgv,
  redactHeaderArg,
  redactHeaders,
  redactText,
  redactUrl,
  targetSecrets,
} from '../src/redact.js';

describe('isSecretName', () => {
  it('covers every credential header real APIs use', () => {
    for (const name of [
      'Authorization',
      'Proxy-Authorization',
      'X-Api-Key',
      'api-key',
      'Ocp-Apim-Subscription-Key',
      'Cookie',
      'Set-Cookie',
      'X-Auth-Token',
      'X-Amz-Security-Token',
      'X-Goog-Api-Key',
      'X-Signature',
      'X-Client-Secret',
      'password',
      'sig',
    ]) {
      expect(isSecretName(name), name).toBe(true);
    }
  });

  it('leaves ordinary headers alone', () => {
    for (const name of ['content-type', 'x-request-source', 'User-Agent', 'X-Trace-Id', 'Accept']) {
      expect(isSecretName(name), name).toBe(false);
    }
  });
});

describe('redactText', () => {
  it('removes every occurrence of every secret', () => {
    const out = redactText('key sk-abc123 used twice: sk-abc123, and tok-9', ['sk-abc123', 'tok-9']);
    expect(out).not.toContain('sk-abc123');
    expect(out).not.toContain('tok-9');
    expect(out).toBe('key [REDACTED] used twice: [REDACTED], and [REDACTED]');
  });

  it('removes any bearer token, known or not', () => {
    expect(redactText('sent authorization: Bearer xyz.987-secret; then failed', [])).toBe(
      'sent authorization: Bearer [REDACTED]; then failed',
    );
  });

  it('ignores empty and missing secrets and leaves clean text alone', () => {
    expect(redactText('nothing to hide', ['', undefined])).toBe('nothing to hide');
  });

  it('hides a longer secret whole even when a shorter one is inside it', () => {
    expect(redactText('got abcd-efgh-ijkl', ['abcd', 'abcd-efgh-ijkl'])).toBe(`got ${REDACTED}`);
  });

  it('removes sk- keys, Basic credentials and URL credentials it was not told about', () => {
    expect(redactText('bad key sk-proj-AbC123xyz789 given')).toBe(`bad key ${REDACTED} given`);
    expect(redactText('proxy said Basic dXNlcjpwYXNz=')).toBe(`proxy said Basic ${REDACTED}`);
    expect(redactText('connect to http://bob:hunter2@db.local:8080/v1 failed')).toBe(
      'connect to http://***@db.local:8080/v1 failed',
    );
  });

  it('leaves prose that merely mentions an auth scheme readable', () => {
    expect(redactText('Basic authentication required for desk-management')).toBe(
      'Basic authentication required for desk-management',
    );
  });
});

describe('redactUrl', () => {
  it('strips userinfo, with or without a password', () => {
    expect(redactUrl('http://user:KEY@host/v1')).toBe('http://***@host/v1');
    expect(redactUrl('https://TOKEN@api.example.com')).toBe('https://***@api.example.com');
    expect(redactUrl('https://u:p@ss@host:8443/v1?x=1')).toBe('https://***@host:8443/v1?x=1');
  });

  it('hides secret query parameters and keeps the others', () => {
    expect(redactUrl('https://h/v1?api-version=2024&api_key=abc&sig=zz&model=m')).toBe(
      'https://h/v1?api-version=2024&api_key=***&sig=***&model=m',
    );
  });

  it('leaves a URL without credentials as given', () => {
    expect(redactUrl('https://api.stepfun.com/v1')).toBe('https://api.stepfun.com/v1');
  });
});

describe('redactHeaders', () => {
  it('hides secret headers by name and known secrets in the others', () => {
    expect(
      redactHeaders(
        {
          Authorization: 'Bearer x',
          'Ocp-Apim-Subscription-Key': 'o',
          'X-Note': 'key k-123456 pasted',
          Accept: 'a',
        },
        ['k-123456'],
      ),
    ).toEqual({
      Authorization: REDACTED,
      'Ocp-Apim-Subscription-Key': REDACTED,
      'X-Note': `key ${REDACTED} pasted`,
      Accept: 'a',
    });
  });
});

describe('redactHeaderArg', () => {
  it('keeps the name and the separator, hides a secret value', () => {
    expect(redactHeaderArg('X-Api-Key: v1')).toBe(`X-Api-Key: ${REDACTED}`);
    expect(redactHeaderArg('X-Api-Key=v1')).toBe(`X-Api-Key=${REDACTED}`);
    expect(redactHeaderArg('X-Source: ci')).toBe('X-Source: ci');
  });
});

describe('redactArgv', () => {
  it('hides header flags in both spellings, secret-valued flags and URL credentials', () => {
    expect(
      redactArgv(
        [
          'run',
          'd.csv',
          '--header',
          'Authorization: Bearer abc',
          '--header=X-Api-Key: v2',
          '--header',
          'X-Source: ci',
          '--api-key',
          'k1',
          '--token=t1',
          '--base-url',
          'http://u:pw@h/v1',
          '--model',
          'step-3.7-flash',
        ],
        [],
      ),
    ).toEqual([
      'run',
      'd.csv',
      '--header',
      `Authorization: ${REDACTED}`,
      `--header=X-Api-Key: ${REDACTED}`,
      '--header',
      'X-Source: ci',
      '--api-key',
      REDACTED,
      `--token=${REDACTED}`,
      '--base-url',
      'http://***@h/v1',
      '--model',
      'step-3.7-flash',
    ]);
  });

  it('keeps flags that only sound secret, and their values', () => {
    const argv = ['--api-key-env', 'VLLM_KEY', '--max-tokens', '256', '--timeout-first-token', '2m'];
    expect(redactArgv(argv)).toEqual(argv);
  });

  it('hides known secrets wherever they were pasted', () => {
    expect(redactArgv(['--header', 'X-Tenant: k-777777', 'k-777777.csv'], ['k-777777'])).toEqual([
      '--header',
      `X-Tenant: ${REDACTED}`,
      `${REDACTED}.csv`,
    ]);
  });

  it('does not swallow the next flag after a secret flag without a value', () => {
    expect(redactArgv(['--api-key', '--mock'])).toEqual(['--api-key', '--mock']);
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

  it('adds the bare token of an Authorization value, which servers may echo without its scheme', () => {
    expect(targetSecrets({ headers: { Authorization: 'Bearer tok-12345' } })).toEqual([
      'Bearer tok-12345',
      'tok-12345',
    ]);
  });

  it('adds the credential of the base URL, raw and decoded', () => {
    expect(targetSecrets({ headers: {}, baseUrl: 'http://user:p%40ss@h/v1' })).toEqual(['p%40ss', 'p@ss']);
    expect(targetSecrets({ headers: {}, baseUrl: 'https://TOKEN123@h/v1' })).toEqual(['TOKEN123']);
    expect(targetSecrets({ headers: {}, baseUrl: 'https://h/v1' })).toEqual([]);
  });
});
