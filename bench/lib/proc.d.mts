/** Types for proc.mjs, so TypeScript tests can import it under strict mode. */
export function peakRssMB(pid: number): Promise<number | null>;
