/**
 * `lienthong source test <id> [--config FILE] [--json]`: a live dry run of one source — its
 * connectivity check, then its first page pulled and mapped. Nothing is written: no ledger, no
 * cursor. Exit 0 when every record of the page maps, 2 otherwise, 1 when the source fails.
 */
import { loadConfig, DEFAULT_CONFIG_PATH } from '../../config.ts';
import { ConfigError } from '../../errors.ts';
import { buildSource } from '../../pipeline/build-source.ts';
import { redactOptions } from '../../sdk/index.ts';
import { mapAll, pullAll, type AnyAdapter } from '../../sdk/conformance/index.ts';
import { parse } from '../args.ts';
import { table } from '../format.ts';
import { formatWhen } from '../../reports/formats/vi-number.ts';

export const help = `lienthong source test <id> [--config FILE] [--limit N] [--json]
  live dry run: check, first page pulled and mapped, nothing written. Exit 0 all valid · 2 invalid records · 1 fatal.`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { limit: { type: 'string' } });
  const [sub, id] = positionals;
  if (values.help || sub !== 'test' || !id) {
    console.log(help);
    return values.help ? 0 : 1;
  }
  const config = await loadConfig(values.config ?? DEFAULT_CONFIG_PATH);
  // Built as sync builds it: the same options, secrets and mapping.
  const { source, adapter, options } = buildSource(config, id, { env: process.env });
  const started = Date.now();
  await adapter.check?.(options);
  const limit = values.limit ? Number(values.limit) : Math.min(source.pageSize, 50);
  if (!Number.isInteger(limit) || limit < 1) throw new ConfigError('--limit: a positive integer');
  const subject = { adapter: adapter as AnyAdapter, options, sourceId: id, pageSize: limit, maxPages: 1 };
  const page = await pullAll(subject);
  const mapped = mapAll(subject, page.records);
  const out = {
    source: id,
    adapter: adapter.id,
    options: redactOptions(options, adapter.secretFields),
    ms: Date.now() - started,
    records: mapped.length,
    valid: mapped.filter((m) => m.outcome.ok).length,
    invalid: mapped.filter((m) => !m.outcome.ok).length,
    sample: mapped.map(({ record, outcome }) =>
      outcome.ok
        ? { key: outcome.value.code, location: record.location, ok: true, status: outcome.value.status.code, receivedAt: outcome.value.dates.receivedAt, unit: outcome.value.unit.code, warnings: outcome.value.warnings.length }
        : { key: record.key, location: record.location, ok: false, issues: outcome.issues },
    ),
  };
  if (values.json) console.log(JSON.stringify(out, null, 2));
  else {
    console.log(`source ${id} (${adapter.id}): check ok, first page ${out.records} records in ${out.ms} ms: ${out.valid} valid, ${out.invalid} invalid — nothing written`);
    console.log(table(['MaHoSo', 'where', 'status', 'received (Vietnam time)', 'unit / issues'], out.sample.map((s) => ('issues' in s ? [s.key, s.location, 'INVALID', '', (s.issues ?? []).map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')] : [s.key, s.location, s.status ?? '', s.receivedAt ? formatWhen(s.receivedAt) : '', s.unit ?? '']))));
  }
  return out.invalid ? 2 : 0;
}
