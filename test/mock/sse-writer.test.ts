import { connect } from 'node:net';
import { request } from 'undici';
import { describe, expect, test } from 'vitest';
import type { MockOptionsInput, MockServer } from '../../src/mock/index.js';
import { sseDataPayloads, withMock } from '../helpers/mock.js';

const body = JSON.stringify({
  model: 'step-3.7-flash',
  messages: [{ role: 'user', content: '你好' }],
  stream: true,
});

interface RawResponse {
  head: string;
  /** The de-chunked body. */
  payload: Buffer;
  /** Size of every HTTP/1.1 chunk the server wrote (the write sizes, whatever TCP did). */
  chunkSizes: number[];
}

/** Speaks HTTP/1.1 by hand so the test sees exactly the bytes the mock wrote. */
function rawStream(mock: MockServer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(mock.port, '127.0.0.1');
    const parts: Buffer[] = [];
    socket.on('data', (part) => parts.push(part));
    socket.on('error', reject);
    socket.on('end', () => {
      const raw = Buffer.concat(parts);
      const split = raw.indexOf('\r\n\r\n');
      const head = raw.subarray(0, split).toString('latin1');
      const chunkSizes: number[] = [];
      const payloadParts: Buffer[] = [];
      let at = split + 4;
      for (;;) {
        const lineEnd = raw.indexOf('\r\n', at);
        const size = Number.parseInt(raw.subarray(at, lineEnd).toString('latin1'), 16);
        if (size === 0) break;
        chunkSizes.push(size);
        payloadParts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      resolve({ head, payload: Buffer.concat(payloadParts), chunkSizes });
    });
    socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer k\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

const fast: MockOptionsInput = { ttftMs: 0, interTokenMs: 0, replyTokens: 24 };

describe('wire quirks are visible in the raw bytes', () => {
  test('default framing: LF, "data: ", no comments', async () => {
    await withMock(fast, async (mock) => {
      const text = (await rawStream(mock)).payload.toString('utf8');
      expect(text).not.toContain('\r');
      expect(text).not.toContain(': keep-alive');
      expect(
        text
          .split('\n\n')
          .filter(Boolean)
          .every((event) => event.startsWith('data: ')),
      ).toBe(true);
    });
  });

  test('crlf ends every line with CRLF', async () => {
    await withMock({ ...fast, quirks: { crlf: true } }, async (mock) => {
      const text = (await rawStream(mock)).payload.toString('utf8');
      expect(text).toContain('\r\n\r\n');
      expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
      expect(text.endsWith('data: [DONE]\r\n\r\n')).toBe(true);
    });
  });

  test('noSpaceAfterData writes data:{…} and data:[DONE]', async () => {
    await withMock({ ...fast, quirks: { noSpaceAfterData: true } }, async (mock) => {
      const text = (await rawStream(mock)).payload.toString('utf8');
      expect(text).not.toContain('data: ');
      expect(text.startsWith('data:{')).toBe(true);
      expect(text.endsWith('data:[DONE]\n\n')).toBe(true);
      expect(sseDataPayloads(text)).toHaveLength(26);
    });
  });

  test('keepAliveComments puts a comment before the first chunk and between chunks', async () => {
    await withMock({ ...fast, quirks: { keepAliveComments: true } }, async (mock) => {
      const text = (await rawStream(mock)).payload.toString('utf8');
      const events = text.split('\n\n').filter(Boolean);
      expect(events[0]).toBe(': keep-alive');
      for (let i = 0; i < events.length; i += 2) {
        expect(events[i]).toBe(': keep-alive');
        expect(events[i + 1]).toMatch(/^data: /);
      }
    });
  });

  test('splitWrites writes 1–3 byte pieces, cutting through multi-byte characters', async () => {
    await withMock({ ...fast, quirks: { splitWrites: true } }, async (mock) => {
      const { head, payload, chunkSizes } = await rawStream(mock);
      expect(head).toMatch(/^HTTP\/1\.1 200/);
      expect(chunkSizes.length).toBeGreaterThan(200);
      expect(Math.max(...chunkSizes)).toBeLessThanOrEqual(3);
      // A piece that starts with a UTF-8 continuation byte began in the middle of a character.
      let at = 0;
      let cutsInsideCharacter = 0;
      for (const size of chunkSizes) {
        if ((payload[at]! & 0xc0) === 0x80) cutsInsideCharacter++;
        at += size;
      }
      expect(cutsInsideCharacter).toBeGreaterThan(0);
      // The pieces still add up to a well-formed stream.
      expect(sseDataPayloads(payload.toString('utf8'))).toHaveLength(26);
    });
  });

  test('splitWrites reach an HTTP client as many small reads, some ending mid-character', async () => {
    await withMock({ ...fast, quirks: { splitWrites: true } }, async (mock) => {
      const response = await request(`${mock.url}/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
        body,
      });
      const reads: Buffer[] = [];
      for await (const part of response.body) reads.push(part as Buffer);
      expect(reads.length).toBeGreaterThan(20);
      const decoder = new TextDecoder('utf-8', { fatal: true });
      const endsMidCharacter = reads.some((read) => {
        try {
          decoder.decode(read);
          return false;
        } catch {
          return true;
        }
      });
      expect(endsMidCharacter).toBe(true);
      expect(Buffer.concat(reads).toString('utf8')).toContain('data: [DONE]');
    });
  });
});
