import { describe, expect, it } from 'vitest';
import { decodeCompletionJson } from '../../src/client/completion-json.js';

const stepfunReply = {
  id: 'b7b56af0-52a6-483f-9c1e-2f6d4a3b8e10',
  object: 'chat.completion',
  created: 1709893411,
  model: 'step-3.7-flash',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: '今天晴 😊', reasoning: '用户问天气' },
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 83, cached_tokens: 64, completion_tokens: 176, total_tokens: 259 },
};

describe('decodeCompletionJson', () => {
  it('decodes a StepFun reply; every token time is the moment the body finished', () => {
    const reply = decodeCompletionJson(JSON.stringify(stepfunReply), 42);
    expect(reply).toMatchObject({
      outcome: 'ok',
      text: '今天晴 😊',
      reasoning: '用户问天气',
      finishReason: 'stop',
      responseId: stepfunReply.id,
      firstTokenAt: 42,
      firstAnswerAt: 42,
      endAt: 42,
      tokenTimes: [42],
      usage: {
        promptTokens: 83,
        completionTokens: 176,
        totalTokens: 259,
        cachedTokens: 64,
        source: 'server',
      },
    });
  });

  it('reads reasoning_content, tool calls and OpenAI-style nulls', () => {
    const body = {
      choices: [
        {
          message: {
            role: 'assistant',
            content: null,
            reasoning_content: '想一想',
            refusal: null,
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":1}' } },
            ],
          },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12, prompt_tokens_details: null },
    };
    const reply = decodeCompletionJson(JSON.stringify(body), 9);
    expect(reply.outcome).toBe('ok');
    expect(reply.text).toBe('');
    expect(reply.reasoning).toBe('想一想');
    expect(reply.toolCalls).toEqual([
      { index: 0, id: 'call_1', type: 'function', name: 'lookup', arguments: '{"q":1}' },
    ]);
    expect(reply.firstTokenAt).toBe(9);
    expect(reply.firstAnswerAt).toBeUndefined();
    expect(reply.usage?.cachedTokens).toBeUndefined();
  });

  it('maps finish_reason length; a null finish_reason on a whole body is ok', () => {
    const length = {
      choices: [{ message: { content: '', reasoning: 'long thought' }, finish_reason: 'length' }],
    };
    expect(decodeCompletionJson(JSON.stringify(length), 1).outcome).toBe('length');
    const nullFinish = { choices: [{ message: { content: 'hi' }, finish_reason: null }] };
    const reply = decodeCompletionJson(JSON.stringify(nullFinish), 1);
    expect(reply.outcome).toBe('ok');
    expect(reply.finishReason).toBeUndefined();
    expect(reply.usage).toBeUndefined();
  });

  it('names a body that is not JSON, an error envelope and a reply without choices', () => {
    const html = decodeCompletionJson('<html>Bad Gateway</html>', 1);
    expect(html.outcome).toBe('stream_error');
    expect(html.error?.message).toBe('response body is not JSON: <html>Bad Gateway</html>');
    const envelope = decodeCompletionJson('{"error":{"message":"boom","type":"server_error"}}', 1);
    expect(envelope.error).toEqual({ message: 'boom', type: 'server_error' });
    const empty = decodeCompletionJson('{"id":"x","choices":[]}', 1);
    expect(empty.outcome).toBe('stream_error');
    expect(empty.error?.message).toContain('no choices[0].message');
  });
});
