/**
 * Loads and validates the configuration file once, listing every problem (not only the first).
 */
import { readFile } from 'node:fs/promises';
import { ConfigSchema, type Config } from '../schemas/config.ts';
import { getAdapter } from '../adapters/index.ts';
import { zodIssues } from './dossier/index.ts';
import { ConfigError } from './errors.ts';

export const DEFAULT_CONFIG_PATH = './lienthong.config.json';

export function parseConfig(input: unknown, origin = 'configuration'): Config {
  const parsed = ConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(`${origin} is invalid`, zodIssues(parsed.error).map((i) => `${i.path || '(root)'}: ${i.message}`));
  }
  const config = parsed.data;
  const problems: string[] = [];
  const seen = new Set<string>();
  config.sources.forEach((s, i) => {
    if (!getAdapter(s.adapter)) problems.push(`sources[${i}].adapter: unknown adapter "${s.adapter}" (see \`lienthong adapter list\`)`);
    if (seen.has(s.id)) problems.push(`sources[${i}].id: "${s.id}" is used twice`);
    seen.add(s.id);
  });
  const targets = new Set<string>();
  config.targets.forEach((t, i) => {
    if (targets.has(t.id)) problems.push(`targets[${i}].id: "${t.id}" is used twice`);
    targets.add(t.id);
  });
  if (problems.length) throw new ConfigError(`${origin} is invalid`, problems);
  return config;
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
  return parseConfig(json, path);
}
