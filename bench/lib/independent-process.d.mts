/** Types for independent-process.mjs, so TypeScript tests can import it under strict mode. */
export interface IndependentRecord {
  traceId: string;
  receivedAt: number;
  stream?: boolean;
  status?: number;
  promptTokens?: number;
  completionTokens?: number;
  firstTokenAt?: number;
  endAt?: number;
  aborted?: boolean;
}
export interface IndependentTruth {
  config: { ttftMs: number; msPerToken: number; tokens: number; port: number };
  modelsRequests: number;
  records: IndependentRecord[];
}
export interface IndependentServer {
  url: string;
  pid: number;
  truth(options?: { reset?: boolean }): Promise<IndependentTruth>;
  stop(): Promise<void>;
}
export function startIndependentServer(
  config?: { ttftMs?: number; msPerToken?: number; tokens?: number },
  options?: { readyTimeoutMs?: number },
): Promise<IndependentServer>;
