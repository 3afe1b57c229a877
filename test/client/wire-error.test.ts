import { describe, expect, it } from 'vitest';
import { errorFromBody, quote, wireError } from '../../src/client/wire-error.js';

describe('errorFromBody', () => {
  it('reads the StepFun envelope (no code, no param)', () => {
    expect(
      errorFromBody(401, '{"error":{"message":"Incorrect API key provided","type":"invalid_api_key"}}'),
    ).toEqual({
      message: 'Incorrect API key provided',
      type: 'invalid_api_key',
    });
  });

  it('uses the OpenAI code when there is no type, and tolerates a top-level message', () => {
    expect(
      errorFromBody(429, '{"error":{"message":"slow down","type":null,"code":"rate_limit_exceeded"}}'),
    ).toEqual({
      message: 'slow down',
      type: 'rate_limit_exceeded',
    });
    expect(errorFromBody(400, '{"message":"bad thing","type":"invalid"}')).toEqual({
      message: 'bad thing',
      type: 'invalid',
    });
  });

  it('unwraps an error served as an SSE data event', () => {
    expect(
      errorFromBody(503, 'data: {"error":{"message":"overloaded","type":"server_overloaded"}}\n\n'),
    ).toEqual({
      message: 'overloaded',
      type: 'server_overloaded',
    });
  });

  it('quotes plain text and names an empty body', () => {
    expect(errorFromBody(502, '  Bad Gateway\n')).toEqual({ message: 'Bad Gateway' });
    expect(errorFromBody(500, '')).toEqual({ message: 'HTTP 500 with an empty body' });
    expect(errorFromBody(500, 'x'.repeat(1000)).message.length).toBe(201);
  });
});

describe('wireError', () => {
  it('is undefined for ordinary chunks', () => {
    expect(wireError({ choices: [] })).toBeUndefined();
    expect(wireError({ error: null, choices: [] })).toBeUndefined();
    expect(wireError('text')).toBeUndefined();
  });

  it('reads a string error', () => {
    expect(wireError({ error: 'boom' })).toEqual({ message: 'boom' });
  });
});

describe('quote', () => {
  it('cuts long text with an ellipsis', () => {
    expect(quote('abc', 2)).toBe('ab…');
    expect(quote('abc', 3)).toBe('abc');
  });
});
