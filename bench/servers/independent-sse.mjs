/**
 * An independent StepFun-compatible chat-completions server for checking stepbench's clock
 * against a server it did not write. It shares no code with `src/` (nor `dist/`): only `node:`
 * modules, written from StepFun's documented wire format (/work/shared/reference/
 * stepfun-wire-facts.md §4), in the way production servers write a stream:
 *
 * - the response headers go out **with the first token**: `writeHead()` only stages them and the
 *   first `write()` (role chunk + first content chunk) carries both, so there is no early header
 *   flush for a client to mistake for a fast first byte;
 * - **one `write()` per token** after that, on a fixed schedule from the first token;
 * - StepFun chunk shapes: a role chunk `delta:{role:"assistant",content:""}`, then `delta.content`
 *   chunks, cumulative `usage` on every chunk, a final chunk with `finish_reason:"stop"`, then
 *   `data: [DONE]`; an `X-Trace-Id` header on every response.
 *
 * Ground truth, on this process's own `performance.now()` clock (ms), one record per chat
 * completion: `receivedAt` (request handler entered, i.e. headers parsed), `firstTokenAt` (the
 * `write()` that carried the headers and first token), `endAt` (the `end()` after `[DONE]`).
 * `GET /_truth` returns them as JSON; `GET /_truth?reset=1` returns them and starts afresh.
 *
 * Configuration: argv[2] as JSON `{"ttftMs":20,"msPerToken":5,"tokens":32,"port":0}`, or flags
 * `--ttft-ms 20 --ms-per-token 5 --tokens 32 --port 0`. Prints `{"url":"http://127.0.0.1:PORT/v1"}`
 * as one JSON line on stdout once listening. SIGTERM / SIGINT close it.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const DEFAULTS = { ttftMs: 20, msPerToken: 5, tokens: 32, port: 0 };

function readConfig(argv) {
  if (argv[0]?.trim().startsWith('{')) return checkConfig({ ...DEFAULTS, ...JSON.parse(argv[0]) });
  const { values } = parseArgs({
    args: argv,
    options: {
      'ttft-ms': { type: 'string' },
      'ms-per-token': { type: 'string' },
      tokens: { type: 'string' },
      port: { type: 'string' },
    },
  });
  const pick = (v, d) => (v === undefined ? d : Number(v));
  return checkConfig({
    ttftMs: pick(values['ttft-ms'], DEFAULTS.ttftMs),
    msPerToken: pick(values['ms-per-token'], DEFAULTS.msPerToken),
    tokens: pick(values.tokens, DEFAULTS.tokens),
    port: pick(values.port, DEFAULTS.port),
  });
}

function checkConfig(c) {
  for (const key of ['ttftMs', 'msPerToken', 'tokens', 'port']) {
    if (!Number.isFinite(c[key]) || c[key] < 0)
      throw new Error(`${key} must be a number ≥ 0 (got ${c[key]})`);
  }
  if (!Number.isInteger(c.tokens) || c.tokens < 1) throw new Error(`tokens must be a whole number ≥ 1`);
  return c;
}

const config = readConfig(process.argv.slice(2));

const MODELS = ['step-3.7-flash', 'step-3.5-flash'];
// Mixed Latin and CJK pieces, so a client's UTF-8 handling is exercised as with real answers.
const PIECES = ['The', ' answer', ' is', '：', '城市', '的', '夜', '经济', ',', ' and', ' more', '。'];

let truth = [];
let modelsRequests = 0;

const hex = (bytes) => randomBytes(bytes).toString('hex');

function sendJson(res, status, body, traceId) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-trace-id': traceId,
  });
  res.end(text);
}

function sendError(res, status, message, type, traceId) {
  sendJson(res, status, { error: { message, type } }, traceId);
}

/** A rough prompt token count: one per CJK character, one per ~4 other characters. */
function promptTokens(messages) {
  let cjk = 0;
  let other = 0;
  for (const m of messages) {
    const text = typeof m?.content === 'string' ? m.content : JSON.stringify(m?.content ?? '');
    for (const ch of text) {
      if (ch.codePointAt(0) >= 0x2e80) cjk++;
      else other++;
    }
  }
  return Math.max(1, cjk + Math.ceil(other / 4));
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const parts = [];
    req.on('data', (d) => parts.push(d));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function chunkEvent(base, delta, usage, finishReason) {
  const choice = { index: 0, delta };
  if (finishReason !== undefined) choice.finish_reason = finishReason;
  return `data: ${JSON.stringify({ ...base, choices: [choice], usage, agent: '' })}\n\n`;
}

function usageAt(prompt, completion) {
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

async function chat(req, res, record) {
  let body;
  try {
    body = JSON.parse(await readBody(req));
  } catch {
    record.status = 400;
    record.endAt = performance.now();
    sendError(res, 400, 'request body is not valid JSON', 'request_params_invalid', record.traceId);
    return;
  }
  if (typeof body?.model !== 'string' || !Array.isArray(body.messages)) {
    record.status = 400;
    record.endAt = performance.now();
    sendError(res, 400, 'model and messages are required', 'request_params_invalid', record.traceId);
    return;
  }
  const prompt = promptTokens(body.messages);
  const n = config.tokens;
  const id = `${hex(16)}.${hex(16)}`;
  const created = Math.floor(Date.now() / 1000);
  const base = { id, object: 'chat.completion.chunk', created, model: body.model };
  record.stream = body.stream === true;
  record.promptTokens = prompt;
  record.completionTokens = n;

  // Everything is scheduled from receivedAt (first token) and from the first token (the rest),
  // on absolute targets, so timer lateness does not accumulate over a stream.
  const firstDue = record.receivedAt + config.ttftMs;
  let closed = false;
  let timer;
  res.on('close', () => {
    closed = true;
    clearTimeout(timer);
    if (record.endAt === undefined) {
      record.endAt = performance.now();
      record.aborted = true;
    }
  });
  const at = (due, fn) => {
    timer = setTimeout(fn, Math.max(0, due - performance.now()));
  };

  if (!record.stream) {
    at(firstDue + (n - 1) * config.msPerToken, () => {
      if (closed) return;
      let content = '';
      for (let i = 0; i < n; i++) content += PIECES[i % PIECES.length];
      record.status = 200;
      record.firstTokenAt = performance.now();
      record.endAt = record.firstTokenAt;
      sendJson(
        res,
        200,
        {
          id,
          object: 'chat.completion',
          created,
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
          usage: usageAt(prompt, n),
        },
        record.traceId,
      );
    });
    return;
  }

  at(firstDue, () => {
    if (closed) return;
    record.status = 200;
    // writeHead only stages the headers; the write below sends them with the first token.
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-trace-id': record.traceId,
    });
    const role = chunkEvent(base, { role: 'assistant', content: '' }, usageAt(prompt, 0));
    const first = chunkEvent(base, { content: PIECES[0] }, usageAt(prompt, 1));
    record.firstTokenAt = performance.now();
    res.write(role + first);
    let sent = 1;
    const next = () => {
      if (closed) return;
      if (sent < n) {
        res.write(chunkEvent(base, { content: PIECES[sent % PIECES.length] }, usageAt(prompt, sent + 1)));
        sent++;
      }
      if (sent < n) {
        at(record.firstTokenAt + sent * config.msPerToken, next);
        return;
      }
      // The last token is out: the final chunk and [DONE] follow at once, as one end().
      record.endAt = performance.now();
      res.end(`${chunkEvent(base, {}, usageAt(prompt, n), 'stop')}data: [DONE]\n\n`);
    };
    if (n === 1) next();
    else at(record.firstTokenAt + config.msPerToken, next);
  });
}

const server = createServer((req, res) => {
  const receivedAt = performance.now();
  const traceId = hex(16);
  const url = new URL(req.url ?? '/', 'http://localhost');

  if (req.method === 'GET' && url.pathname === '/_truth') {
    // timeOrigin turns the records' times into epoch ms, to compare with another process's clock.
    const body = { config, timeOrigin: performance.timeOrigin, modelsRequests, records: truth };
    if (url.searchParams.get('reset') === '1') {
      truth = [];
      modelsRequests = 0;
    }
    sendJson(res, 200, body, traceId);
    return;
  }
  if (url.pathname.startsWith('/v1/') && !/^Bearer \S+/.test(req.headers.authorization ?? '')) {
    req.resume();
    sendError(res, 401, 'Incorrect API key provided', 'invalid_api_key', traceId);
    return;
  }
  if (req.method === 'GET' && url.pathname === '/v1/models') {
    modelsRequests++;
    const created = 1_770_000_000;
    sendJson(
      res,
      200,
      { object: 'list', data: MODELS.map((id) => ({ id, object: 'model', created, owned_by: 'stepai' })) },
      traceId,
    );
    return;
  }
  if (req.method === 'POST' && url.pathname === '/v1/chat/completions') {
    const record = { traceId, receivedAt };
    truth.push(record);
    chat(req, res, record).catch((err) => {
      record.status = 500;
      record.endAt = performance.now();
      if (!res.headersSent) sendError(res, 500, String(err), 'server_error', traceId);
      else res.destroy();
    });
    return;
  }
  req.resume();
  sendError(res, 404, `no route for ${req.method} ${url.pathname}`, 'not_found', traceId);
});
// Keep idle keep-alive connections longer than a bench pause between phases.
server.keepAliveTimeout = 60_000;

server.listen(config.port, '127.0.0.1', () => {
  const { port } = server.address();
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}/v1` })}\n`);
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
