export interface WrkSummary {
  requests: number;
  wrkRps: number;
  meanLatencyMs: number | null;
  socketErrors: { connect: number; read: number; write: number; timeout: number };
  non2xx: number;
}
export function findWrk(): Promise<string | null>;
export function writeWrkScript(
  dir: string,
  options: { model: string; prompt?: string; maxTokens?: number },
): Promise<string>;
export function runWrk(options: {
  url: string;
  script: string;
  connections: number;
  seconds: number;
  threads?: number;
}): Promise<WrkSummary & { args: string[] }>;
export function parseWrkOutput(text: string): WrkSummary;
