import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DecodedReply } from '../../src/client/reply.js';
import { StreamDecoder } from '../../src/client/stream-decoder.js';
import {
  FRAMING_VARIANTS,
  RECORDING_COMPLETION_TOKENS,
  RECORDING_CONTENT,
  RECORDING_REASONING,
  RECORDING_REASONING_TEXT,
  RECORDING_TEXT,
  recordingBytes,
  recordingText,
} from './stepfun-recording.js';

const encoder = new TextEncoder();

/** Feeds `bytes` cut at `cuts` (sorted byte offsets); read i arrives at time i + 1. */
function decodeCut(bytes: Uint8Array, cuts: readonly number[]): DecodedReply {
  const decoder = new StreamDecoder();
  let start = 0;
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    decoder.push(bytes.subarray(start, cut), ++at);
    start = cut;
  }
  return decoder.end(++at);
}

/** Decodes SSE events given as separate reads: read i arrives at time (i + 1) * 10. */
function decodeReads(reads: readonly string[], endAt = 1000): DecodedReply {
  const decoder = new StreamDecoder();
  reads.forEach((read, i) => {
    decoder.push(encoder.encode(read), (i + 1) * 10);
  });
  return decoder.end(endAt);
}

const sse = (data: unknown): string => `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

/** The parts of a reply that must not depend on where the bytes were cut. */
function content(reply: DecodedReply) {
  return {
    outcome: reply.outcome,
    text: reply.text,
    reasoning: reply.reasoning,
    usage: reply.usage,
    finishReason: reply.finishReason,
    responseId: reply.responseId,
    toolCalls: reply.toolCalls,
    textChunks: reply.tokenTimes.length,
    error: reply.error,
  };
}

const EXPECTED = {
  outcome: 'ok',
  text: RECORDING_TEXT,
  reasoning: RECORDING_REASONING_TEXT,
  usage: {
    promptTokens: 85,
    completionTokens: RECORDING_COMPLETION_TOKENS,
    totalTokens: 85 + RECORDING_COMPLETION_TOKENS,
    source: 'server',
  },
  finishReason: 'stop',
  responseId: '4e38135e2b7a40b2a0f1c2d3e4f5a6b7.1e6b4aa1c9d84f2e8a7b6c5d4e3f2a1b',
  toolCalls: [],
  textChunks: RECORDING_REASONING.length + RECORDING_CONTENT.length + 1,
  error: undefined,
};

describe('StreamDecoder on the StepFun recording', () => {
  it('decodes the whole recording in one read', () => {
    expect(content(decodeCut(recordingBytes(), []))).toEqual(EXPECTED);
  });

  it('decodes every framing variant in one read to the same reply', () => {
    for (const variant of FRAMING_VARIANTS) {
      expect(content(decodeCut(recordingBytes(variant), [])), JSON.stringify(variant)).toEqual(EXPECTED);
    }
  });

  it('gives the same reply for a cut at every single byte boundary', () => {
    // The CRLF + `data:` + keep-alive variant has cuts inside `\r\n` pairs and comments too.
    for (const variant of [{}, { lineEnding: '\r\n', dataPrefix: 'data:', keepAlive: true } as const]) {
      const bytes = recordingBytes(variant);
      for (let cut = 0; cut <= bytes.length; cut++) {
        expect(content(decodeCut(bytes, [cut])), `cut at byte ${cut}`).toEqual(EXPECTED);
      }
    }
  });

  it('gives the same reply when fed one byte per read', () => {
    const bytes = recordingBytes({ lineEnding: '\r\n', keepAlive: true });
    const cuts = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
    expect(content(decodeCut(bytes, cuts))).toEqual(EXPECTED);
  });

  it('ignores a UTF-8 BOM at the start of the stream, also when it is split across reads', () => {
    // The first event carries text, so a BOM left in front of its `data:` line would lose it.
    const events = `${sse({ choices: [{ index: 0, delta: { content: 'Hi' } }] })}${sse('[DONE]')}`;
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode(events)]);
    for (const cuts of [[], [1], [2], [3], [1, 2]]) {
      const reply = decodeCut(bytes, cuts);
      expect(reply.text, `cuts ${cuts.join(',')}`).toBe('Hi');
      expect(reply.outcome).toBe('ok');
    }
  });

  it('replaces invalid UTF-8 with U+FFFD rather than failing the stream', () => {
    const bytes = encoder.encode(
      `${sse({ choices: [{ index: 0, delta: { content: 'aXb' } }] })}${sse('[DONE]')}`,
    );
    const at = bytes.indexOf(0x58); // the "X"
    bytes[at] = 0xff;
    expect(decodeCut(bytes, [at]).text).toBe('a\ufffdb');
  });

  it('property: any multi-cut split of any framing variant decodes identically', () => {
    // Sanity check that the random cuts can land where it matters: the recording is full of
    // multi-byte characters (every Chinese char is 3 bytes, the emoji 4).
    expect(recordingBytes().length).toBeGreaterThan(recordingText().length);
    fc.assert(
      fc.property(
        fc.constantFrom(...FRAMING_VARIANTS),
        fc.array(fc.nat(), { maxLength: 40 }),
        (variant, rawCuts) => {
          const bytes = recordingBytes(variant);
          const cuts = [...new Set(rawCuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          expect(content(decodeCut(bytes, cuts))).toEqual(EXPECTED);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: cuts inside multi-byte characters and CRLF pairs decode identically', () => {
    const variant = { lineEnding: '\r\n', finishStyle: 'null' } as const;
    const bytes = recordingBytes(variant);
    // Offsets strictly inside a UTF-8 sequence (continuation bytes) or between \r and \n.
    const awkward: number[] = [];
    for (let i = 1; i < bytes.length; i++) {
      const insideChar = (bytes[i]! & 0xc0) === 0x80;
      const insideCrlf = bytes[i - 1] === 0x0d && bytes[i] === 0x0a;
      if (insideChar || insideCrlf) awkward.push(i);
    }
    expect(awkward.length).toBeGreaterThan(50);
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom(...awkward), { minLength: 1, maxLength: 25 }), (picked) => {
        const cuts = [...picked].sort((a, b) => a - b);
        expect(content(decodeCut(bytes, cuts))).toEqual(EXPECTED);
      }),
      { numRuns: 300 },
    );
  });
});

describe('StreamDecoder timings', () => {
  it('stamps first token at the first reasoning chunk, first answer at the first content', () => {
    const events = recordingText()
      .split('\n\n')
      .filter((e) => e !== '')
      .map((e) => `${e}\n\n`);
    const reply = decodeReads(events, 5000);
    // read 1 is the role chunk (no text) → first token is read 2.
    expect(reply.firstTokenAt).toBe(20);
    expect(reply.firstAnswerAt).toBe((1 + RECORDING_REASONING.length + 1) * 10);
    expect(reply.tokenTimes).toHaveLength(EXPECTED.textChunks);
    expect(reply.tokenTimes[0]).toBe(20);
    // [DONE] was the last read, before end(): that is when the stream ended.
    expect(reply.endAt).toBe(events.length * 10);
    expect(reply.sawDone).toBe(true);
  });

  it('ends at EOF when there is no [DONE]', () => {
    const reply = decodeReads([recordingText({ omitDone: true })], 777);
    expect(reply.endAt).toBe(777);
    expect(reply.sawDone).toBe(false);
  });
});

describe('StreamDecoder edge cases', () => {
  it('merges streamed tool-call fragments by index', () => {
    const delta = (tool_calls: unknown[]) => sse({ choices: [{ index: 0, delta: { tool_calls } }] });
    const reply = decodeReads([
      sse({ id: 'c1', choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] }),
      delta([{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }]),
      delta([{ index: 0, function: { arguments: '{"city":' } }]),
      delta([{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } }]),
      delta([{ index: 0, function: { arguments: '"北京"}' } }]),
      sse({ choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] }),
      sse('[DONE]'),
    ]);
    expect(reply.outcome).toBe('ok');
    expect(reply.finishReason).toBe('tool_calls');
    expect(reply.toolCalls).toEqual([
      { index: 0, id: 'call_a', type: 'function', name: 'get_weather', arguments: '{"city":"北京"}' },
      { index: 1, id: 'call_b', type: 'function', name: 'get_time', arguments: '{}' },
    ]);
    // Tool-call fragments are text-bearing: first token at the first fragment.
    expect(reply.firstTokenAt).toBe(20);
    expect(reply.firstAnswerAt).toBeUndefined();
    expect(reply.tokenTimes).toEqual([20, 30, 40, 50]);
  });

  it('takes usage from the OpenAI include_usage chunk (choices: [] or null) and never sums', () => {
    const chunk = (content: string) => sse({ choices: [{ index: 0, delta: { content } }], usage: null });
    for (const emptyChoices of [[], null]) {
      const reply = decodeReads([
        chunk('Hello'),
        chunk(' world'),
        sse({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: null }),
        sse({
          choices: emptyChoices,
          usage: {
            prompt_tokens: 20,
            completion_tokens: 30,
            total_tokens: 50,
            prompt_tokens_details: { cached_tokens: 16 },
            completion_tokens_details: { reasoning_tokens: 12 },
          },
        }),
        sse('[DONE]'),
      ]);
      expect(reply.text).toBe('Hello world');
      expect(reply.usage).toEqual({
        promptTokens: 20,
        completionTokens: 30,
        totalTokens: 50,
        cachedTokens: 16,
        reasoningTokens: 12,
        source: 'server',
      });
    }
  });

  it('keeps the last cumulative usage, including top-level cached_tokens', () => {
    const reply = decodeReads([
      sse({
        choices: [{ delta: { content: 'a' } }],
        usage: { prompt_tokens: 600, completion_tokens: 1, cached_tokens: 512 },
      }),
      sse({
        choices: [{ delta: { content: 'b' } }],
        usage: { prompt_tokens: 600, completion_tokens: 2, cached_tokens: 512 },
      }),
      sse({
        choices: [{ delta: {}, finish_reason: 'stop' }],
        usage: { prompt_tokens: 600, completion_tokens: 3, total_tokens: 603, cached_tokens: 512 },
      }),
      sse('[DONE]'),
    ]);
    expect(reply.usage).toEqual({
      promptTokens: 600,
      completionTokens: 3,
      totalTokens: 603,
      cachedTokens: 512,
      source: 'server',
    });
  });

  it('reports an error event inside a 200 stream as stream_error and keeps the text so far', () => {
    const reply = decodeReads([
      sse({ choices: [{ index: 0, delta: { content: '你好' } }] }),
      sse({
        error: {
          message: 'The server had an error while processing your request',
          type: 'server_error',
          code: 500,
        },
      }),
      sse('[DONE]'),
    ]);
    expect(reply.outcome).toBe('stream_error');
    expect(reply.error).toEqual({
      message: 'The server had an error while processing your request',
      type: 'server_error',
    });
    expect(reply.text).toBe('你好');
    // The stream ended for us at the error event, not at the [DONE] that followed.
    expect(reply.endAt).toBe(20);
    expect(reply.sawDone).toBe(false);
  });

  it('reports an `event: error` event and vLLM’s old top-level error object', () => {
    const named = decodeReads([`event: error\ndata: {"message":"overloaded"}\n\n`]);
    expect(named.outcome).toBe('stream_error');
    expect(named.error?.message).toContain('overloaded');
    const old = decodeReads([
      sse({ object: 'error', message: 'bad request', type: 'BadRequestError', code: 400 }),
    ]);
    expect(old.outcome).toBe('stream_error');
    expect(old.error).toEqual({ message: 'bad request', type: 'BadRequestError' });
  });

  it('reports an event that is not JSON, quoting at most 200 characters of it', () => {
    const garbage = `<html>${'x'.repeat(500)}</html>`;
    const reply = decodeReads([sse({ choices: [{ delta: { content: 'hi' } }] }), `data: ${garbage}\n\n`]);
    expect(reply.outcome).toBe('stream_error');
    expect(reply.error?.message).toContain('not JSON');
    expect(reply.error?.message).toContain('<html>xxx');
    expect(reply.error!.message.length).toBeLessThan(260);
  });

  it('reports a stream that ends without [DONE] or a finish_reason as truncated', () => {
    const reply = decodeReads([recordingText({ omitFinal: true, omitDone: true })]);
    expect(reply.outcome).toBe('truncated');
    expect(reply.error?.message).toContain('without [DONE]');
    expect(reply.text).toBe(RECORDING_CONTENT.join(''));
    expect(reply.usage?.completionTokens).toBe(RECORDING_COMPLETION_TOKENS - 1);
  });

  it('reports an empty body as truncated', () => {
    expect(decodeReads([]).outcome).toBe('truncated');
    expect(decodeReads([': keep-alive\n\n']).outcome).toBe('truncated');
  });

  it('accepts a final finish_reason without [DONE] as complete', () => {
    const reply = decodeReads([recordingText({ omitDone: true })]);
    expect(reply.outcome).toBe('ok');
    expect(reply.finishReason).toBe('stop');
    expect(reply.text).toBe(RECORDING_TEXT);
  });

  it('accepts [DONE] without a finish_reason as complete', () => {
    const reply = decodeReads([recordingText({ omitFinal: true })]);
    expect(reply.outcome).toBe('ok');
    expect(reply.finishReason).toBeUndefined();
  });

  it('maps finish_reason length (also with reasoning only) and content_filter', () => {
    const reasoningOnly = decodeReads([
      sse({ choices: [{ delta: { content: '', reasoning: '让我想想' } }] }),
      sse({ choices: [{ delta: { content: '' }, finish_reason: 'length' }] }),
      sse('[DONE]'),
    ]);
    expect(reasoningOnly.outcome).toBe('length');
    expect(reasoningOnly.text).toBe('');
    expect(reasoningOnly.reasoning).toBe('让我想想');
    expect(reasoningOnly.firstAnswerAt).toBeUndefined();
    const filtered = decodeReads([
      sse({ choices: [{ delta: { content: 'x' }, finish_reason: 'content_filter' }] }),
      sse('[DONE]'),
    ]);
    expect(filtered.outcome).toBe('content_filter');
  });

  it('falls through an empty reasoning_content to reasoning, and prefers a non-empty one', () => {
    const fallThrough = decodeReads([
      sse({ choices: [{ delta: { reasoning_content: '', reasoning: '思考' } }] }),
      sse({ choices: [{ delta: { reasoning_content: '中', reasoning: '' } }] }),
      sse({ choices: [{ delta: { reasoning_content: null, reasoning: '。' }, finish_reason: 'stop' }] }),
    ]);
    expect(fallThrough.reasoning).toBe('思考中。');
    expect(fallThrough.tokenTimes).toEqual([10, 20, 30]);
  });

  it('reports a JSON error served as text/event-stream (no data: framing)', () => {
    const compact = decodeReads([
      '{"error":{"message":"Incorrect API key provided","type":"invalid_api_key"}}',
    ]);
    expect(compact.outcome).toBe('stream_error');
    expect(compact.error).toEqual({ message: 'Incorrect API key provided', type: 'invalid_api_key' });
    const pretty = decodeReads([
      '{\n  "error": {\n    "message": "busy",\n',
      '    "type": "server_overloaded"\n  }\n}\n',
    ]);
    expect(pretty.error).toEqual({ message: 'busy', type: 'server_overloaded' });
    const html = decodeReads(['<html><body>502 Bad Gateway</body></html>\n']);
    expect(html.outcome).toBe('stream_error');
    expect(html.error?.message).toContain('502 Bad Gateway');
  });

  it('flushes a last event that has no trailing blank line', () => {
    const reply = decodeReads([
      sse({ choices: [{ delta: { content: 'ok' } }] }),
      `data: ${JSON.stringify({ choices: [{ delta: {}, finish_reason: 'stop' }] })}`,
    ]);
    expect(reply.outcome).toBe('ok');
    expect(reply.finishReason).toBe('stop');
  });

  it('treats an all-zero usage (the role chunk placeholder) as no usage', () => {
    const reply = decodeReads([
      sse({
        choices: [{ delta: { role: 'assistant', content: '' } }],
        usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
      }),
    ]);
    expect(reply.usage).toBeUndefined();
  });

  it('measures only choice 0 when n > 1 interleaves choices', () => {
    const reply = decodeReads([
      sse({ choices: [{ index: 0, delta: { content: 'A' } }] }),
      sse({ choices: [{ index: 1, delta: { content: 'B' } }] }),
      sse({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }),
      sse({ choices: [{ index: 1, delta: {}, finish_reason: 'length' }] }),
      sse('data:[DONE]'.slice(5)),
    ]);
    expect(reply.text).toBe('A');
    expect(reply.outcome).toBe('ok');
  });
});
