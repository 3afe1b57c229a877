/** Types for mock-process.mjs, so TypeScript tests can import it under strict mode. */
export interface MockRecord {
  traceId: string;
  status: number;
  receivedAt: number;
  headersAt: number;
  firstTokenAt?: number;
  endAt: number;
  promptTokens: number;
  completionTokens: number;
}
export interface MockProcessStats {
  requests: number;
  byStatus: Record<string, number>;
  inFlight: number;
  maxInFlight: number;
  records: MockRecord[];
}
export interface MockProcess {
  url: string;
  pid: number;
  stats(options?: { reset?: boolean }): Promise<MockProcessStats>;
  cpuMs(): Promise<number | null>;
  stop(): Promise<void>;
}
export function startMockProcess(
  flags: string[],
  options?: { readyTimeoutMs?: number },
): Promise<MockProcess>;
/** CPU ms a process has used so far (Linux /proc), or null elsewhere. */
export function processCpuMs(pid: number, ticksPerSecond?: number): Promise<number | null>;
