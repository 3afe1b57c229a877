import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../errors.js';
import { type AssertionSpec, loadCustomChecks, validateAssertions } from '../eval/assertions-api.js';
import { filePath, parseSettings } from './settings-errors.js';
import { configFileSchema, type RawConfigFile } from './settings-schema.js';

export type { GraderSpec, PhaseSpec, TargetSpec } from './settings-schema.js';

type RawTarget = NonNullable<RawConfigFile['targets']>[number];

/** An entry of `targets`: a target and its validated assertions. */
export type ConfigTarget = Omit<RawTarget, 'assert'> & { assert?: AssertionSpec[] };

/** A validated config file: settings checked by the schema, assertions by the assertion library. */
export type ConfigFile = Omit<RawConfigFile, 'targets' | 'defaultAssert'> & {
  targets?: ConfigTarget[];
  defaultAssert?: AssertionSpec[];
};

/**
 * The config's assertions, validated like a dataset row's (same library, same messages), each
 * named by its path in the file: `c.yaml: targets[1].assert[0] (regex): bad regex …`. Relative
 * `file:` references resolve against the config file's folder.
 */
function validatedChecks(raw: RawConfigFile, file: string): ConfigFile {
  const baseDir = dirname(resolve(file));
  const checks = (list: unknown[], where: string): AssertionSpec[] => {
    try {
      return validateAssertions(list, { baseDir, where });
    } catch (error) {
      if (error instanceof UserError) throw new UserError(`${file}: ${error.message}`);
      throw error;
    }
  };
  const { targets, defaultAssert, ...rest } = raw;
  const config: ConfigFile = rest;
  if (defaultAssert) config.defaultAssert = checks(defaultAssert, 'defaultAssert');
  if (targets) {
    config.targets = targets.map(({ assert, ...target }, i) =>
      assert ? { ...target, assert: checks(assert, `targets[${i}].assert`) } : target,
    );
  }
  return config;
}

/** Every assertion the config declares, in order. */
export function configChecks(config: ConfigFile): AssertionSpec[] {
  return [...(config.defaultAssert ?? []), ...(config.targets ?? []).flatMap((t) => t.assert ?? [])];
}

/** Validates an already-parsed config object; `file` names it in messages and anchors `file:` references. */
export function parseConfig(raw: unknown, file: string): ConfigFile {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new UserError(
      `${file}: the config must be a mapping with keys defaults, targets, defaultAssert, grader, run, capacity`,
    );
  return validatedChecks(
    parseSettings(configFileSchema, raw, filePath(''), `${file}: invalid config: `),
    file,
  );
}

/** Reads a YAML (`.yaml`/`.yml`) or JSON config file; its custom checks are loaded (and so checked) here. */
export async function loadConfigFile(file: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UserError(`config file not found or unreadable: ${file}`);
  }
  let raw: unknown;
  try {
    raw = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new UserError(
      `${file}: not valid ${extname(file) === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message}`,
    );
  }
  const config = parseConfig(raw, file);
  try {
    await loadCustomChecks(configChecks(config));
  } catch (error) {
    if (error instanceof UserError) throw new UserError(`${file}: ${error.message}`);
    throw error;
  }
  return config;
}
