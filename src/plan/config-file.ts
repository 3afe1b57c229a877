import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../errors.js';
import { filePath, parseSettings } from './settings-errors.js';
import { type ConfigFile, configFileSchema } from './settings-schema.js';

export type { ConfigFile, PhaseSpec, TargetSpec } from './settings-schema.js';

/** Validates an already-parsed config object; `file` is only used in messages. */
export function parseConfig(raw: unknown, file: string): ConfigFile {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new UserError(`${file}: the config must be a mapping with keys defaults, targets, run, capacity`);
  return parseSettings(configFileSchema, raw, filePath(''), `${file}: invalid config: `);
}

/** Reads a YAML (`.yaml`/`.yml`) or JSON config file. */
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
  return parseConfig(raw, file);
}
