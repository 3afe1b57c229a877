import type { PathStyle } from '../plan/settings-errors.js';

const kebab = (name: string) =>
  name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/(\D)(\d)/, '$1-$2');

// Settings whose flag is not simply the setting's name in kebab-case.
const FLAG_NAMES: Record<string, string> = { slos: '--slo', gates: '--gate', datasets: 'datasets' };

/** A setting's path as the command line spells it: `concurrency` → `--concurrency`, `timeouts.firstToken` → `--timeout-first-token`. */
export const flagPath: PathStyle = (path) => {
  const [head, sub] = path;
  if (head === 'timeouts' && typeof sub === 'string') return `--timeout-${kebab(sub)}`;
  if (head === 'params' && typeof sub === 'string') return `--${sub.replace(/_/g, '-')}`;
  const name = String(head ?? '');
  return FLAG_NAMES[name] ?? `--${kebab(name)}`;
};

/**
 * The settings a command line gave, under their setting names (yargs already camel-cases the
 * flags), as raw text: the settings schema checks and converts them, so a flag and a config-file
 * key share one check and one message.
 */
export function settingsFromArgs(
  argv: Record<string, unknown>,
  keys: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const value = key === 'slos' ? argv.slo : key === 'gates' ? argv.gate : argv[key];
    if (value !== undefined) out[key] = value;
  }
  if (keys.includes('timeouts')) {
    const timeouts = Object.fromEntries(
      (['connect', 'firstToken', 'idle', 'total'] as const)
        .map((k) => [k, argv[`timeout${k[0]?.toUpperCase()}${k.slice(1)}`]] as const)
        .filter(([, v]) => v !== undefined),
    );
    if (Object.keys(timeouts).length > 0) out.timeouts = timeouts;
  }
  return out;
}
