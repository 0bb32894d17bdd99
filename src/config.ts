/**
 * Loads and validates the configuration file once, listing every problem (not only the first).
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigSchema, type Config } from '../schemas/config.ts';
import { getAdapter } from '../adapters/index.ts';
import { configProblems, unknownKeyProblems } from './config-keys.ts';
import { ConfigError } from './errors.ts';

export const DEFAULT_CONFIG_PATH = './lienthong.config.json';

export function parseConfig(input: unknown, origin = 'configuration'): Config {
  const parsed = ConfigSchema.safeParse(input);
  if (!parsed.success) {
    // Unknown keys are refused with a did-you-mean (schemas are strict objects), also in adapter options.
    const options = sourceOptionProblems(input);
    throw new ConfigError(`${origin} is invalid`, [...configProblems(ConfigSchema, parsed.error, input), ...options]);
  }
  const config = parsed.data;
  const problems: string[] = [];
  const seen = new Set<string>();
  problems.push(...sourceOptionProblems(input));
  config.sources.forEach((s, i) => {
    if (!getAdapter(s.adapter)) problems.push(`sources[${i}].adapter: unknown adapter "${s.adapter}" (see \`lienthong adapter list\`)`);
    if (seen.has(s.id)) problems.push(`sources[${i}].id: "${s.id}" is used twice`);
    seen.add(s.id);
  });
  const targets = new Set<string>();
  config.targets.forEach((t, i) => {
    if (targets.has(t.id)) problems.push(`targets[${i}].id: "${t.id}" is used twice`);
    if (t.style === 'bare-array' && t.auth?.type === 'session') {
      problems.push(`targets[${i}].auth: type "session" is the login of style "session"; target "${t.id}" is bare-array (use none, bearer, header or oauth2-client-credentials)`);
    }
    targets.add(t.id);
  });
  if (problems.length) throw new ConfigError(`${origin} is invalid`, problems);
  return config;
}

/** Unknown keys in each source's adapter options (other option problems are reported when the source is used: secrets come from the environment then). */
function sourceOptionProblems(input: unknown): string[] {
  const sources = input && typeof input === 'object' ? (input as Record<string, unknown>)['sources'] : undefined;
  if (!Array.isArray(sources)) return [];
  return sources.flatMap((s: unknown, i) => {
    if (!s || typeof s !== 'object') return [];
    const { adapter: id, options } = s as Record<string, unknown>;
    const adapter = typeof id === 'string' ? getAdapter(id) : undefined;
    return adapter && options && typeof options === 'object' ? unknownKeyProblems(adapter.configSchema, options, ['sources', i, 'options']) : [];
  });
}

export async function loadConfig(path = DEFAULT_CONFIG_PATH): Promise<Config> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new ConfigError(`cannot read the configuration file ${path} (create it, or pass --config FILE)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  return resolvePaths(parseConfig(json, path), dirname(resolve(path)));
}

/** Adapter options that name files or folders (resolved like the other paths of the file). */
export const FILE_PATH_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  'csv-xlsx': ['path'],
  'dvcqg-file': ['path'],
};

/**
 * The configuration with every relative file path made absolute against `baseDir`, the folder of
 * the configuration file, so that a command means the same files wherever it is started from:
 * `database` (`pglite:./…`), file adapters' `options.path`, `reports.catalog|calendarData|units`
 * and `evidence.keyFile`. Command-line flags (`--units FILE` …) stay relative to the working
 * directory, as in any shell command.
 */
export function resolvePaths(config: Config, baseDir: string): Config {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  const db = /^pglite:(.+)$/.exec(config.database);
  const database = db && db[1] !== 'memory' ? `pglite:${abs(db[1] as string)}` : config.database;
  const sources = config.sources.map((s) => {
    const keys = FILE_PATH_OPTIONS[s.adapter] ?? [];
    const options = { ...s.options };
    for (const k of keys) if (typeof options[k] === 'string' && options[k] !== '') options[k] = abs(options[k]);
    return { ...s, options };
  });
  const r = config.reports;
  const reports = {
    ...r,
    ...(r.catalog ? { catalog: abs(r.catalog) } : {}),
    ...(r.calendarData ? { calendarData: abs(r.calendarData) } : {}),
    ...(r.units ? { units: abs(r.units) } : {}),
  };
  const evidence = config.evidence.keyFile ? { ...config.evidence, keyFile: abs(config.evidence.keyFile) } : config.evidence;
  return { ...config, database, sources, reports, evidence };
}
