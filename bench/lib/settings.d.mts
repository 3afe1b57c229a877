/** Types for settings.mjs, so TypeScript tests can import it under strict mode. */
export function parseSetting(
  entry: string,
  defaults: Record<string, unknown>,
): { name: string; value: unknown };
