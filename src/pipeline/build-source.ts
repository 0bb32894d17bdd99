/**
 * The one way a configured source is built: its adapter from the registry, its options parsed by
 * the adapter's schema with secrets resolved from the environment, and the mapper that uses those
 * options (a declared `mapping`, code `tables`…). Sync, `source test`, `adapter check --source`,
 * reconcile and its repair, and quarantine replay (CLI and dashboard) all build a source here, so
 * a record maps the same way whichever of them reads it.
 */
import type { Config, SourceConfig } from '../../schemas/config.ts';
import { getAdapter } from '../../adapters/index.ts';
import { ConfigError } from '../errors.ts';
import type { AdapterDefinition } from '../sdk/index.ts';
import { prepareSource, type BuildSourceOptions, type BuiltSource } from './prepare-source.ts';

export { prepareSource, sourceOptionsHash, type BuildSourceOptions, type BuiltSource } from './prepare-source.ts';

/** The adapter of a source, or a ConfigError naming the source. */
export function adapterOfSource(source: SourceConfig): AdapterDefinition<unknown, unknown> {
  const adapter = getAdapter(source.adapter);
  if (!adapter) throw new ConfigError(`source "${source.id}": unknown adapter "${source.adapter}" (see \`lienthong adapter list\`)`);
  return adapter;
}

/**
 * Builds one configured source.
 *
 * @example
 * const built = buildSourceFrom(config.sources[0], { env: process.env });
 * const { valid, invalid } = built.map(records);
 */
export function buildSourceFrom(source: SourceConfig, opts: BuildSourceOptions = {}): BuiltSource {
  const { adapter, ...rest } = opts;
  return prepareSource(source, adapter ?? adapterOfSource(source), rest);
}

/**
 * Builds the source `sourceId` of `config`, or a ConfigError naming the sources configured.
 *
 * @example
 * const built = buildSource(config, 'xa-phuong');
 */
export function buildSource(config: Pick<Config, 'sources'>, sourceId: string, opts: BuildSourceOptions = {}): BuiltSource {
  const source = config.sources.find((s) => s.id === sourceId);
  if (!source) throw new ConfigError(`no source "${sourceId}" in the configuration (sources: ${config.sources.map((s) => s.id).join(', ') || 'none'})`);
  return buildSourceFrom(source, opts);
}
