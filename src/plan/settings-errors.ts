import type { z } from 'zod';
import { UserError } from '../errors.js';

/** How a setting's path is shown to the user: `run.concurrency` in a file, `--concurrency` on the command line. */
export type PathStyle = (path: readonly PropertyKey[]) => string;

/** `targets[1].params.temperature`: the path as it reads in a YAML/JSON file. */
export const filePath =
  (prefix: string): PathStyle =>
  (path) =>
    path.reduce<string>(
      (out, key) =>
        typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key),
      prefix,
    );

/** Every problem as `path: message`, one per unknown key, so all can be fixed in one go. */
export function describeIssues(error: z.ZodError, style: PathStyle): string[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => `${style([...issue.path, key])}: ${issue.message}`);
    const where = issue.path.length > 0 ? style(issue.path) : style([]) || 'settings';
    return [`${where}: ${issue.message}`];
  });
}

/** Parses `raw` with `schema`, or throws one UserError listing every problem. */
export function parseSettings<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  style: PathStyle,
  heading: string,
): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = describeIssues(parsed.error, style);
  throw new UserError(
    problems.length === 1 ? `${heading}${problems[0]}` : `${heading}\n  - ${problems.join('\n  - ')}`,
  );
}
