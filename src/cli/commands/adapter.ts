/**
 * `lienthong adapter list | new <id> --from-sample FILE | check <id> [--sample FILE] [--source ID] [--json]`.
 * `check` exits 2 on any invalid record, required field left unfilled or failed check; 1 when fatal.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { adapters, getAdapter } from '../../../adapters/index.ts';
import { loadConfig, DEFAULT_CONFIG_PATH } from '../../config.ts';
import { ConfigError } from '../../errors.ts';
import { buildSource } from '../../pipeline/build-source.ts';
import type { AdapterDefinition, RawRecord } from '../../sdk/index.ts';
import { readSampleRecords } from '../../sdk/samples.ts';
import { buildReport, checkResume, ConformanceError, mapAll, pullAll, type AnyAdapter, type CheckReport, type Subject } from '../../sdk/conformance/index.ts';
import { scaffoldAdapter } from '../../sdk/scaffold.ts';
import { parse } from '../args.ts';
import { table } from '../format.ts';
import { sourcePathOf } from '../../sdk/source-path.ts';

export const help = `lienthong adapter list [--json]
lienthong adapter new <id> --from-sample FILE [--root DIR]     scaffold adapters/<id>/ from a .json/.ndjson/.csv/.xml sample
lienthong adapter check <id> [--sample FILE | --source ID] [--config FILE] [--root DIR] [--json]
  check: records mapped / invalid, canonical fields filled, raw fields unmapped, statuses without a
  mapping, date formats seen. Exit 0 ok · 2 invalid records, required fields unfilled or a failed check · 1 fatal.`;

const DEFAULT_ROOT = sourcePathOf(new URL('../../../adapters/', import.meta.url));

/** A registered adapter, or one scaffolded under `root` and not registered (yet). */
async function loadAdapter(id: string, root: string): Promise<AnyAdapter> {
  const known = getAdapter(id);
  if (known && resolve(root) === resolve(DEFAULT_ROOT)) return known;
  const file = join(root, id, 'index.ts');
  if (existsSync(file)) {
    const mod = (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
    const found = [mod['adapter'], mod['default'], ...Object.values(mod)].find((v): v is AnyAdapter => !!v && typeof v === 'object' && (v as { id?: unknown }).id === id);
    if (found) return found;
  }
  if (known) return known;
  throw new ConfigError(`unknown adapter "${id}" (known: ${Object.keys(adapters).join(', ')})`);
}

function list(json: boolean): number {
  const rows = Object.values(adapters).map((a) => {
    const d = a;
    const caps = (['check', 'list', 'listKeys', 'checksum', 'fetch'] as const).filter((c) => typeof d[c] === 'function');
    return { id: d.id, version: d.version, capabilities: caps, secretFields: d.secretFields ?? [] };
  });
  console.log(json ? JSON.stringify(rows, null, 2) : table(['adapter', 'version', 'capabilities', 'secret options'], rows.map((r) => [r.id, r.version, r.capabilities.join(' '), r.secretFields.join(' ')])));
  return 0;
}

interface CheckOutput extends CheckReport {
  checks: { name: string; ok: boolean; message?: string }[];
}

async function check(id: string, values: { sample?: string | undefined; source?: string | undefined; config?: string | undefined; root: string }): Promise<CheckOutput> {
  const adapter = await loadAdapter(id, values.root);
  const checks: CheckOutput['checks'] = [];
  let subject: Subject;
  let records: RawRecord[];
  if (values.source) {
    const config = await loadConfig(values.config ?? DEFAULT_CONFIG_PATH);
    // Built as sync builds it (options, secrets, mapping), with the adapter being checked.
    const { source, options } = buildSource(config, values.source, { env: process.env, adapter: adapter as AdapterDefinition<unknown, unknown> });
    subject = { adapter, options, sourceId: source.id, pageSize: source.pageSize };
  } else {
    const path = values.sample ?? join(values.root, id, 'fixtures');
    const asPath = adapter.configSchema.safeParse({ path });
    if (!asPath.success) {
      if (!values.sample) throw new ConfigError(`adapter ${id} does not read files: give --sample FILE (records as JSON/CSV/XML) or --source ID`);
      records = await readSampleRecords(values.sample);
      subject = { adapter, options: undefined, sourceId: 'sample' };
      const mapped = mapAll(subject, records);
      return { ...buildReport(subject, mapped), checks };
    }
    subject = { adapter, options: asPath.data, sourceId: 'sample', pageSize: 100 };
  }
  const full = await pullAll(subject);
  records = full.records;
  checks.push({ name: 'paging to the end', ok: true });
  try {
    await checkResume(subject, full, { exact: false, endCursorEmpty: false });
    checks.push({ name: 'cursor resume', ok: true });
  } catch (e) {
    if (!(e instanceof ConformanceError)) throw e;
    checks.push({ name: 'cursor resume', ok: false, message: e.message });
  }
  const report = buildReport(subject, mapAll(subject, records));
  return { ...report, ok: report.ok && checks.every((c) => c.ok), checks };
}

function print(r: CheckOutput): void {
  const lines = [`adapter ${r.adapter}: ${r.records} records, ${r.mapped} mapped, ${r.invalid} invalid, ${r.warnings} warnings`];
  lines.push(table(['portal field', 'canonical', 'required', 'filled %'], r.fields.map((f) => [f.field, f.canonical, f.required ? 'yes' : '', f.filledPct])));
  lines.push(`raw fields left unmapped: ${r.unmappedRawFields.join(', ') || '(none)'}`);
  lines.push(`local statuses without a national code: ${r.unmappedStatuses.join(', ') || '(none)'}`);
  lines.push(`date formats seen: ${r.dateFormats.map((d) => `${d.path} (${d.formats.join(' | ')})`).join('; ') || '(none)'}`);
  for (const c of r.checks) lines.push(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.message ? `: ${c.message}` : ''}`);
  for (const rec of r.invalidRecords.slice(0, 10)) lines.push(`invalid ${rec.key ?? rec.location}: ${rec.issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
  if (r.requiredUnfilled.length) lines.push(`required fields not filled in every record: ${r.requiredUnfilled.join(', ')}`);
  for (const w of r.warningList) lines.push(`warning ${w.key ?? ''} ${w.path}: ${w.message}`);
  if (r.warnings > r.warningList.length) lines.push(`… ${r.warnings - r.warningList.length} more warnings (--json lists the first ${r.warningList.length})`);
  if (r.advice.length) lines.push('What to change:', ...r.advice.map((a) => `  - ${a}`));
  lines.push(r.ok ? 'OK: every record maps and every required field is filled.' : 'Needs work: see above.');
  console.log(lines.join('\n'));
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { 'from-sample': { type: 'string' }, sample: { type: 'string' }, source: { type: 'string' }, root: { type: 'string' } });
  const [sub, id] = positionals;
  if (values.help || !sub) {
    console.log(help);
    return values.help ? 0 : 1;
  }
  const root = values.root ?? DEFAULT_ROOT;
  if (sub === 'list') return list(values.json);
  if (!id) throw new ConfigError(`adapter ${sub}: give the adapter id`);
  if (sub === 'new') {
    if (!values['from-sample']) throw new ConfigError('adapter new: give --from-sample FILE');
    const r = await scaffoldAdapter({ id, sample: values['from-sample'], root });
    if (values.json) console.log(JSON.stringify(r, null, 2));
    else {
      console.log(`created ${r.dir} (${r.files.join(', ')}) from ${r.records} sample records${r.registered ? ', registered in index.ts' : ' (no registry found: add it to adapters/index.ts)'}`);
      if (r.unmatched.length) console.log(`unmapped sample fields: ${r.unmatched.join(', ')}`);
      if (r.statusesToMap.length) console.log(`statuses to map in tables.status: ${r.statusesToMap.join(', ')}`);
      console.log(`next: review ${join(r.dir, 'mapping.ts')}, then npm run dev -- adapter check ${id} (from the sources; \`npm run build\` makes npx lienthong see it too)`);
    }
    return 0;
  }
  if (sub === 'check') {
    const report = await check(id, { sample: values.sample, source: values.source, config: values.config, root });
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else print(report);
    return report.ok ? 0 : 2;
  }
  throw new ConfigError(`adapter: unknown sub-command "${sub}" (list, new, check)`);
}
