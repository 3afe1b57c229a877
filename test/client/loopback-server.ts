import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: CapturedRequest[];
  /** TCP connections accepted so far (to check keep-alive reuse). */
  connections: () => number;
  close: () => Promise<void>;
}

/**
 * A tiny raw HTTP server on 127.0.0.1, port 0, for client tests. The handler gets the request
 * with its body already read and captured.
 */
export async function startLoopbackServer(
  handler: (req: CapturedRequest, res: ServerResponse) => void | Promise<void>,
): Promise<LoopbackServer> {
  const requests: CapturedRequest[] = [];
  let connections = 0;
  const server = createServer(async (req, res) => {
    const parts: Buffer[] = [];
    for await (const part of req) parts.push(part as Buffer);
    const captured: CapturedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(parts).toString('utf8'),
    };
    requests.push(captured);
    await handler(captured, res);
  });
  server.on('connection', () => {
    connections++;
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    connections: () => connections,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const tick = (ms = 1): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes `bytes` in pieces of `size` bytes with a pause between, so reads split anywhere. */
export async function writeInPieces(res: ServerResponse, bytes: Uint8Array, size: number): Promise<void> {
  for (let i = 0; i < bytes.length; i += size) {
    res.write(bytes.subarray(i, i + size));
    await tick();
  }
}
