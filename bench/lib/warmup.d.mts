/** Types for warmup.mjs, so TypeScript tests can import it under strict mode. */
export function warmUpMock(
  baseUrl: string,
  options?: { requests?: number; concurrency?: number; model?: string },
): Promise<void>;
