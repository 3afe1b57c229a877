import { describe, expect, it } from 'vitest';
import { classifyAbort, classifyStatus, classifyThrown, keptHeaders } from '../../src/client/classify.js';

describe('classifyStatus', () => {
  it('maps statuses to outcome classes', () => {
    expect(classifyStatus(429)).toBe('rate_limited');
    expect(classifyStatus(451)).toBe('content_filter');
    expect(classifyStatus(400)).toBe('http_4xx');
    expect(classifyStatus(401)).toBe('http_4xx');
    expect(classifyStatus(404)).toBe('http_4xx');
    expect(classifyStatus(500)).toBe('http_5xx');
    expect(classifyStatus(503)).toBe('http_5xx');
  });
});

describe('classifyAbort', () => {
  it('names our own timeouts by phase and everything else an interruption', () => {
    for (const phase of ['connect', 'first_token', 'idle', 'total'] as const) {
      expect(classifyAbort({ kind: 'timeout', phase }).outcome).toBe(`timeout_${phase}`);
    }
    expect(classifyAbort({ kind: 'timeout', phase: 'lunch' }).outcome).toBe('interrupted');
    expect(classifyAbort(new DOMException('aborted', 'AbortError')).outcome).toBe('interrupted');
    expect(classifyAbort(undefined).outcome).toBe('interrupted');
  });
});

describe('classifyThrown', () => {
  const withCode = (message: string, code: string, cause?: unknown) =>
    Object.assign(new Error(message, cause === undefined ? undefined : { cause }), { code });

  it('maps undici timeouts to phases and the rest to network, with a useful message', () => {
    expect(classifyThrown(withCode('Connect Timeout Error', 'UND_ERR_CONNECT_TIMEOUT')).outcome).toBe(
      'timeout_connect',
    );
    expect(classifyThrown(withCode('Headers Timeout Error', 'UND_ERR_HEADERS_TIMEOUT')).outcome).toBe(
      'timeout_first_token',
    );
    expect(classifyThrown(withCode('Body Timeout Error', 'UND_ERR_BODY_TIMEOUT')).outcome).toBe(
      'timeout_idle',
    );
    const refused = classifyThrown(withCode('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'));
    expect(refused).toEqual({ outcome: 'network', message: 'connect ECONNREFUSED 127.0.0.1:1' });
    const socket = classifyThrown(
      withCode('other side closed', 'UND_ERR_SOCKET', withCode('read ECONNRESET', 'ECONNRESET')),
    );
    expect(socket.outcome).toBe('network');
    expect(socket.message).toBe('other side closed (UND_ERR_SOCKET); cause: read ECONNRESET');
  });

  it('finds a timeout code on the cause', () => {
    const wrapped = new Error('fetch failed', {
      cause: withCode('Connect Timeout Error', 'UND_ERR_CONNECT_TIMEOUT'),
    });
    expect(classifyThrown(wrapped).outcome).toBe('timeout_connect');
  });
});

describe('keptHeaders', () => {
  it('keeps retry-after, retry-after-ms and x-ratelimit-*, lower-cased', () => {
    expect(
      keptHeaders({
        'Retry-After': '3',
        'retry-after-ms': '2500',
        'x-ratelimit-reset-tokens': '6m0s',
        'x-ratelimit-remaining-requests': ['59', '58'],
        'x-trace-id': 'abc',
        'content-type': 'application/json',
      }),
    ).toEqual({
      'retry-after': '3',
      'retry-after-ms': '2500',
      'x-ratelimit-reset-tokens': '6m0s',
      'x-ratelimit-remaining-requests': '59, 58',
    });
    expect(keptHeaders({ 'content-type': 'text/plain' })).toBeUndefined();
  });
});
