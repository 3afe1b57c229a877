import { describe, expect, it } from 'vitest';
import { buildRequestBody, prepareTarget } from '../../src/client/request.js';
import type { ChatMessage } from '../../src/dataset/types.js';
import type { Target } from '../../src/plan/types.js';

function target(overrides: Partial<Target> = {}): Target {
  return {
    name: 'step',
    baseUrl: 'https://api.stepfun.com/v1',
    model: 'step-3.7-flash',
    apiKey: 'sk-test',
    apiKeyEnv: 'STEP_API_KEY',
    headers: {},
    params: {},
    stream: true,
    streamUsage: false,
    ...overrides,
  };
}

const messages: ChatMessage[] = [{ role: 'user', content: '你好' }];

describe('buildRequestBody', () => {
  it('sends model, messages and stream and nothing the user did not set', () => {
    expect(buildRequestBody(target(), messages, {})).toEqual({
      model: 'step-3.7-flash',
      messages,
      stream: true,
    });
  });

  it('lets row params override target params', () => {
    const body = buildRequestBody(target({ params: { temperature: 0.2, max_tokens: 100 } }), messages, {
      max_tokens: 5,
    });
    expect(body).toEqual({
      model: 'step-3.7-flash',
      messages,
      stream: true,
      temperature: 0.2,
      max_tokens: 5,
    });
  });

  it('asks for include_usage only when the target wants it and streams', () => {
    expect(buildRequestBody(target({ streamUsage: true }), messages, {}).stream_options).toEqual({
      include_usage: true,
    });
    expect(buildRequestBody(target({ streamUsage: true, stream: false }), messages, {})).not.toHaveProperty(
      'stream_options',
    );
    expect(buildRequestBody(target(), messages, {})).not.toHaveProperty('stream_options');
  });

  it('keeps model/messages/stream authoritative over params of the same name', () => {
    const body = buildRequestBody(target({ params: { model: 'other', stream: false } }), messages, {
      messages: [],
    });
    expect(body.model).toBe('step-3.7-flash');
    expect(body.messages).toBe(messages);
    expect(body.stream).toBe(true);
  });
});

describe('prepareTarget', () => {
  it('joins the base URL and the endpoint path, with or without trailing slashes', () => {
    for (const baseUrl of [
      'https://api.stepfun.com/v1',
      'https://api.stepfun.com/v1/',
      'https://api.stepfun.com/v1//',
    ]) {
      const prepared = prepareTarget(target({ baseUrl }));
      expect(prepared.origin).toBe('https://api.stepfun.com');
      expect(prepared.path).toBe('/v1/chat/completions');
    }
  });

  it('keeps a path prefix, a port and a query string', () => {
    expect(prepareTarget(target({ baseUrl: 'https://api.stepfun.com/step_plan/v1' })).path).toBe(
      '/step_plan/v1/chat/completions',
    );
    const local = prepareTarget(target({ baseUrl: 'http://127.0.0.1:8080/openai/v1?api-version=2' }));
    expect(local.origin).toBe('http://127.0.0.1:8080');
    expect(local.path).toBe('/openai/v1/chat/completions?api-version=2');
  });

  it('sets auth, content type and accept, then the user headers (lower-cased, winning)', () => {
    const prepared = prepareTarget(
      target({ headers: { 'X-Team': 'bench', Accept: 'application/x-ndjson' } }),
    );
    expect(prepared.headers).toEqual({
      authorization: 'Bearer sk-test',
      'content-type': 'application/json',
      accept: 'application/x-ndjson',
      'x-team': 'bench',
    });
  });

  it('sends no authorization without a key and asks for JSON when not streaming', () => {
    const prepared = prepareTarget(target({ apiKey: undefined, stream: false }));
    expect(prepared.headers).not.toHaveProperty('authorization');
    expect(prepared.headers.accept).toBe('application/json');
  });
});
