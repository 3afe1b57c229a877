/** Types for child-runner.mjs, so TypeScript tests can import it under strict mode. */
export interface ProcessCost {
  wallMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  cpuPercent: number | null;
  maxRssMB: number;
}
export function runClientProcess(
  scriptPath: string,
  config: unknown,
  options?: { timeoutMs?: number },
): Promise<Record<string, unknown>>;
export function parseLastJsonLine(text: string): Record<string, unknown>;
export function processCost(since: NodeJS.CpuUsage, wallMs: number): ProcessCost;
