import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { sendCompletion } from '../../src/client/send.js';
import { Transport } from '../../src/client/transport.js';
import type { Target } from '../../src/plan/types.js';
import { type LoopbackServer, startLoopbackServer, tick } from './loopback-server.js';

const chunk = (delta: Record<string, unknown>) =>
  `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta }] })}\n\n`;

function target(origin: string): Target {
  return {
    name: 't',
    baseUrl: `${origin}/v1`,
    model: 'step-3.7-flash',
    apiKey: 'k-123456',
    apiKeyEnv: 'K',
    headers: {},
    params: {},
    stream: true,
    streamUsage: false,
  };
}

const messages = [{ role: 'user' as const, content: 'hi' }];
let server: LoopbackServer | undefined;
let transport: Transport | undefined;
afterEach(async () => {
  // Server first: dropping its sockets fails anything still in flight, so close() cannot wait on it.
  await server?.close();
  await transport?.close();
});

async function withServer(handler: (res: ServerResponse) => Promise<void>) {
  server = await startLoopbackServer((_req, res) => handler(res));
  transport = new Transport({ connections: 2 });
  return target(server.origin);
}

const sse = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'text/event-stream' });

describe('named timeouts', () => {
  it('first token: headers and a role chunk do not count as a token', async () => {
    const t = await withServer(async (res) => {
      sse(res);
      res.write(chunk({ role: 'assistant', content: '' }));
      await tick(1000);
    });
    const r = await sendCompletion(
      transport!,
      t,
      messages,
      {},
      { timeouts: { firstTokenMs: 80, idleMs: 5000 } },
    );
    expect(r.outcome).toBe('timeout_first_token');
    // Not before its deadline; how long after depends on the machine, and the outcome already
    // says which deadline ended it (the idle one is 5 s, and the server never ends the reply).
    expect(r.times.endAt - r.times.sentAt).toBeGreaterThanOrEqual(75);
  });

  it('first token: a server that never sends headers', async () => {
    const t = await withServer(async () => {
      await tick(1000);
    });
    const r = await sendCompletion(transport!, t, messages, {}, { timeouts: { firstTokenMs: 60 } });
    expect(r.outcome).toBe('timeout_first_token');
    expect(r.status).toBeUndefined();
  });

  it('idle: tokens then silence; the text so far is kept', async () => {
    const t = await withServer(async (res) => {
      sse(res);
      res.write(chunk({ content: '你好' }));
      await tick(20);
      res.write(chunk({ content: '世界' }));
      await tick(1000);
    });
    const r = await sendCompletion(
      transport!,
      t,
      messages,
      {},
      { timeouts: { firstTokenMs: 500, idleMs: 80 } },
    );
    expect(r.outcome).toBe('timeout_idle');
    expect(r.text).toBe('你好世界');
  });

  it('idle: a steady trickle never trips it, but the total timeout does', async () => {
    const t = await withServer(async (res) => {
      sse(res);
      for (let i = 0; i < 100 && !res.destroyed; i++) {
        res.write(chunk({ content: 'x' }));
        await tick(10);
      }
      res.end('data: [DONE]\n\n');
    });
    const r = await sendCompletion(transport!, t, messages, {}, { timeouts: { idleMs: 200, totalMs: 150 } });
    expect(r.outcome).toBe('timeout_total');
    expect(r.text.length).toBeGreaterThan(3);
  });

  it('no timer fires after a reply that finished in time', async () => {
    const t = await withServer(async (res) => {
      sse(res);
      res.write(chunk({ content: 'ok' }));
      res.end(`${chunk({ content: '', finish_reason: 'stop' })}data: [DONE]\n\n`);
    });
    const r = await sendCompletion(
      transport!,
      t,
      messages,
      {},
      { timeouts: { firstTokenMs: 50, idleMs: 50, totalMs: 60 } },
    );
    expect(r.outcome).toBe('ok');
    await tick(100);
    expect(r.outcome).toBe('ok');
  });

  it('an outer abort still reads as an interruption', async () => {
    const t = await withServer(async (res) => {
      sse(res);
      await tick(1000);
    });
    const outer = new AbortController();
    setTimeout(() => outer.abort(), 30);
    const r = await sendCompletion(
      transport!,
      t,
      messages,
      {},
      { signal: outer.signal, timeouts: { totalMs: 5000 } },
    );
    expect(r.outcome).toBe('interrupted');
  });
});
