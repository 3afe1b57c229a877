import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './exchange.js';
import { type LimitChange, limitChangeProblem } from './limit-change.js';
import type { AdmissionControl } from './limits.js';
import type { MockStatsRecorder } from './stats.js';

/**
 * The mock's own routes under `/_mock/`, for tests and benches; they are not load, so they are
 * never counted in the stats nor limited:
 * - `GET /_mock/stats` (`?reset=1` clears the counts after reading): the ground truth;
 * - `GET /_mock/limits`: the limits in force and their shape;
 * - `POST /_mock/limits` with `{"rpm": 300, "tpm": null, "concurrency": 8}`: changes them at once
 *   (keys left out keep their value, null = unlimited; `rpmBurst` / `tpmBurst` with a token
 *   bucket) and answers with the limits now in force. Counts already made stay (see AdmissionControl).
 */
export interface ControlContext {
  stats: MockStatsRecorder;
  admission: AdmissionControl;
}

/** A limits change is a few dozen bytes; anything much bigger is not one. */
const MAX_CONTROL_BODY_BYTES = 64 * 1024;

function sendControl(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

const controlError = (message: string, type: string) => ({ error: { message, type } });

async function changeLimits(req: IncomingMessage, res: ServerResponse, admission: AdmissionControl) {
  const body = await readBody(req, MAX_CONTROL_BODY_BYTES);
  if (body.kind === 'aborted') return;
  if (body.kind === 'too_large')
    return sendControl(
      res,
      413,
      controlError('A limits change must be a small JSON object', 'request_too_large'),
    );
  let change: unknown;
  try {
    change = JSON.parse(body.text);
  } catch {
    return sendControl(
      res,
      400,
      controlError('The body must be JSON such as {"rpm": 300}', 'request_params_invalid'),
    );
  }
  const problem = limitChangeProblem(change, admission.inForce().shape === 'token-bucket');
  if (problem)
    return sendControl(res, 400, controlError(`The limits change ${problem}`, 'request_params_invalid'));
  admission.update(change as LimitChange);
  sendControl(res, 200, admission.inForce());
}

export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  { stats, admission }: ControlContext,
): Promise<void> {
  const method = req.method ?? 'GET';
  if (url.pathname === '/_mock/stats') {
    req.resume();
    const body = stats.snapshot();
    if (url.searchParams.get('reset') === '1') stats.reset();
    return sendControl(res, 200, body);
  }
  if (url.pathname === '/_mock/limits') {
    if (method === 'POST') return changeLimits(req, res, admission);
    req.resume();
    if (method === 'GET') return sendControl(res, 200, admission.inForce());
    return sendControl(
      res,
      405,
      controlError(`${method} is not allowed on /_mock/limits: use GET or POST`, 'method_not_allowed'),
      { Allow: 'GET, POST' },
    );
  }
  req.resume();
  sendControl(res, 404, controlError(`No mock control route ${url.pathname}`, 'not_found'));
}
