import { listQuarantine } from '../../ledger/queries.ts';
import { parse } from '../args.ts';
import { withLedger } from '../context.ts';
import { table } from '../format.ts';

export const help = `lienthong quarantine list [--config FILE] [--source ID] [--all] [--json]
  Every rejected record with every issue and its JSON path (open ones; --all includes resolved).
  Example: npx lienthong quarantine list --json`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { source: { type: 'string' }, all: { type: 'boolean', default: false } });
  if (values.help || positionals[0] !== 'list') {
    console.log(help);
    return values.help ? 0 : 1;
  }
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
