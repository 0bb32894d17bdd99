import { ConfigError } from '../../errors.ts';
import { replayQuarantine, type ReplayResult } from '../../intake/replay.ts';
import { createRecordMapping } from '../../intake/map.ts';
import { listQuarantine } from '../../ledger/queries.ts';
import { parse } from '../args.ts';
import { withLedger } from '../context.ts';
import { table } from '../format.ts';

export const help = `lienthong quarantine list   [--config FILE] [--source ID] [--all] [--json]
lienthong quarantine replay [--config FILE] [--source ID] [--record KEY]… [--json]
  list: every rejected record with every issue and its JSON path (open ones; --all includes resolved).
  replay: maps the stored raw records of open entries again with the source's adapter and its
  configured mapping (after fixing a mapping, a code table or the local system's data); the valid
  ones are stored (and queued to the portals), the others stay with their new issues. Every source,
  or one (--source), or some records (--record, repeatable; needs --source).
  Examples: npx lienthong quarantine list --json
            npx lienthong quarantine replay --source qt-motcua`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { source: { type: 'string' }, all: { type: 'boolean', default: false }, record: { type: 'string', multiple: true } });
  if (values.help || (positionals[0] !== 'list' && positionals[0] !== 'replay')) {
    console.log(help);
    return values.help ? 0 : 1;
  }
  if (positionals[0] === 'replay') return replay(values.config, values.source, values.record, values.json);
  return withLedger(values.config, async (ledger) => {
    const entries = await listQuarantine(ledger, { ...(values.source ? { sourceId: values.source } : {}), includeResolved: values.all });
    if (values.json) {
      console.log(JSON.stringify(entries, null, 2));
      return 0;
    }
    if (entries.length === 0) {
      console.log('The quarantine is empty.');
      return 0;
    }
    const rows = entries.flatMap((e) => e.issues.map((i, n) => [n === 0 ? e.sourceId : '', n === 0 ? e.recordKey : '', n === 0 ? (e.location ?? '') : '', i.path || '(record)', i.message]));
    console.log(table(['source', 'record', 'location', 'field', 'issue'], rows));
    console.log(`${entries.length} record(s) in quarantine.`);
    return 0;
  });
}

async function replay(configPath: string | undefined, sourceId: string | undefined, records: string[] | undefined, json: boolean): Promise<number> {
  if (records?.length && !sourceId) throw new ConfigError('--record needs --source (record keys are per source)');
  return withLedger(configPath, async (ledger, config) => {
    if (sourceId !== undefined && !config.sources.some((s) => s.id === sourceId)) {
      throw new ConfigError(`--source: no source "${sourceId}" in the configuration (sources: ${config.sources.map((s) => s.id).join(', ') || 'none'})`);
    }
    const mapping = createRecordMapping(process.env);
    const results: ReplayResult[] = [];
    for (const source of config.sources.filter((s) => sourceId === undefined || s.id === sourceId)) {
      results.push(await replayQuarantine(ledger, config, mapping, { sourceId: source.id, ...(records?.length ? { keys: records } : {}) }));
    }
    if (json) {
      console.log(JSON.stringify({ sources: results }, null, 2));
    } else {
      console.log(table(['source', 'replayed', 'stored', 'still in quarantine', 'not replayable (no raw record)'], results.map((r) => [r.sourceId, r.replayed, r.stored, r.stillQuarantined, r.notReplayable.length ? r.notReplayable.join(', ') : ''])));
      const still = results.reduce((n, r) => n + r.stillQuarantined, 0);
      console.log(still ? `${still} record(s) still in quarantine: see \`lienthong quarantine list\`.` : 'Nothing left in quarantine for what was replayed.');
    }
    return results.some((r) => r.stillQuarantined > 0 || r.notReplayable.length > 0) ? 2 : 0;
  });
}
