/**
 * How a configured source's options are parsed and its records mapped, free of the adapter
 * registry (the Workers runtime has its own): {@link prepareSource} is the one place options are
 * parsed with secrets resolved and the mapper bound to them. `./build-source.ts` adds the
 * registry look-up for Node commands.
 */
import { createHash } from 'node:crypto';
import type { SourceConfig } from '../../schemas/config.ts';
import { configProblems } from '../config-keys.ts';
import { dossierHash } from '../dossier/index.ts';
import { ConfigError, type ValidationIssue } from '../errors.ts';
import type { InvalidRecord, ValidRecord } from '../ledger/store-page.ts';
import { storableJson, unstorableIssues } from '../ledger/storable.ts';
import { publicMessage } from '../privacy.ts';
import { resolveSecrets, type AdapterDefinition, type RawRecord } from '../sdk/index.ts';

/**
 * Parses a source's options with its adapter's schema, naming the source and every bad option.
 * Secrets named by `<name>Env` options are resolved from `env` first (adapters never read env).
 */
export function parseSourceOptions(source: SourceConfig, adapter: AdapterDefinition<unknown, unknown>, env: Record<string, string | undefined> = process.env): unknown {
  const input = resolveSecrets(source.options, env, source.id);
  const parsed = adapter.configSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(`source "${source.id}" (adapter ${adapter.id}) has invalid options`, configProblems(adapter.configSchema, parsed.error, input, ['options']));
  }
  return parsed.data;
}

/** Splits raw records into valid canonical dossiers and quarantine entries. */
export function mapRecords(adapter: AdapterDefinition<unknown, unknown>, sourceId: string, records: RawRecord[], options?: unknown): { valid: ValidRecord[]; invalid: InvalidRecord[] } {
  const valid: ValidRecord[] = [];
  const invalid: InvalidRecord[] = [];
  for (const rec of records) {
    let issues: ValidationIssue[] | undefined = rec.parseIssues;
    if (!issues?.length) {
      try {
        const out = adapter.map(rec.raw, options === undefined ? { sourceId } : { sourceId, options });
        if (out.ok) {
          const json = JSON.stringify(out.value);
          valid.push({ dossier: out.value, raw: rec.raw, hash: dossierHash(out.value, json), json, location: rec.location, rawText: rec.rawText ?? null, ...(rec.modifiedAt ? { modifiedAt: rec.modifiedAt } : {}) });
          continue;
        }
        issues = out.issues;
      } catch (e) {
        // A record nested past what any mapper walks (a stack overflow) is named as such, with its path.
        const deep = e instanceof RangeError ? unstorableIssues(rec.raw, rec.key ?? rec.location).filter((i) => i.code === 'too_deep') : [];
        issues = deep.length ? deep : [{ path: '', message: `the adapter failed to map this record: ${publicMessage(e)}` }];
      }
    }
    const rawText = rec.rawText ?? null;
    invalid.push({
      key: rec.key ?? rec.location,
      location: rec.location,
      raw: rec.raw,
      rawText,
      rawHash: createHash('sha256').update(rawText ?? storableJson(rec.raw)).digest('hex'),
      issues,
    });
  }
  return { valid, invalid };
}


export interface BuildSourceOptions {
  /** Where `*Env` secrets are read (default: the process environment). */
  env?: Record<string, string | undefined>;
  /**
   * `required` (default): a missing secret is an error naming the source, option and variable.
   * `optional`: for mapping only (replay, intake) — secrets matter to `pull` alone, so a missing one
   * leaves the options parsed without it.
   */
  secrets?: 'required' | 'optional';
  /** Use this adapter instead of the registry's (an adapter scaffolded and not registered yet). */
  adapter?: AdapterDefinition<unknown, unknown>;
}

export interface BuiltSource {
  source: SourceConfig;
  adapter: AdapterDefinition<unknown, unknown>;
  /** The adapter's parsed options (secrets resolved when `secrets: 'required'`). */
  options: unknown;
  /** Raw records → canonical dossiers and quarantine entries, with this source's options. */
  map(records: RawRecord[]): { valid: ValidRecord[]; invalid: InvalidRecord[] };
  /**
   * A hash of what decides how a record maps: adapter, adapter version and options (secrets not
   * included). A file source re-reads its files when it changes.
   */
  optionsHash: string;
}

/** A stable JSON of a value: object keys sorted, so the same options hash the same. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as Record<string, unknown>)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The options hash of a source: its adapter, the adapter's version and its configured options as
 * written (secret values are never in them: only the names of their variables).
 */
export function sourceOptionsHash(source: SourceConfig, adapter: AdapterDefinition<unknown, unknown>): string {
  return createHash('sha256').update(stableJson({ adapter: adapter.id, version: adapter.version, options: source.options })).digest('hex').slice(0, 16);
}

/**
 * Parses one source's options with its adapter and binds its mapper to them.
 *
 * @example
 * const built = prepareSource(source, adapter, { env: process.env });
 * const { valid, invalid } = built.map(records);
 */
export function prepareSource(source: SourceConfig, adapter: AdapterDefinition<unknown, unknown>, opts: Omit<BuildSourceOptions, 'adapter'> = {}): BuiltSource {
  const env = opts.env ?? process.env;
  let options: unknown;
  try {
    options = parseSourceOptions(source, adapter, env);
  } catch (e) {
    if (opts.secrets !== 'optional') throw e;
    const parsed = adapter.configSchema.safeParse(source.options);
    options = parsed.success ? parsed.data : undefined;
  }
  return {
    source,
    adapter,
    options,
    map: (records) => mapRecords(adapter, source.id, records, options),
    optionsHash: sourceOptionsHash(source, adapter),
  };
}

