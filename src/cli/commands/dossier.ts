import { NotFoundError } from '../../errors.ts';
import { getDossierDetail } from '../../ledger/queries.ts';
import { parse } from '../args.ts';
import { withLedger } from '../context.ts';
import { formatWhen } from '../../reports/formats/vi-number.ts';
import { table } from '../format.ts';

const INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$/;
/** For people: every instant of the stored record in Vietnam time (`--json` keeps ISO). */
const localTimes = (_key: string, v: unknown) => (typeof v === 'string' && INSTANT.test(v) ? formatWhen(v) : v);

export const help = `lienthong dossier show <MaHoSo> [--config FILE] [--json]
  The canonical record, the raw record as received, its deliveries and the portal's receipts.
  Times are shown in Vietnam time (dd/MM/yyyy HH:mm); --json keeps ISO instants.
  Example: npx lienthong dossier show 000.20.48.H48-261001-0001 --json`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {});
  const [sub, code] = positionals;
  if (values.help || sub !== 'show' || !code) {
    console.log(help);
    return values.help ? 0 : 1;
  }
  return withLedger(values.config, async (ledger) => {
    const found = await getDossierDetail(ledger, code);
    if (found.length === 0) throw new NotFoundError(`no dossier with MaHoSo ${code} in the ledger`);
    if (values.json) {
      console.log(JSON.stringify(found.length === 1 ? found[0] : found, null, 2));
      return 0;
    }
    for (const d of found) {
      console.log(`${d.code}  (source ${d.sourceId}, version ${d.version}, hash ${d.contentHash.slice(0, 12)}…)`);
      console.log(`first seen ${formatWhen(d.firstSeenAt)}, updated ${formatWhen(d.updatedAt)} (Vietnam time)`);
      console.log('\nCanonical record (times in Vietnam time):\n' + JSON.stringify(d.canonical, localTimes, 2));
      console.log('\nRaw record:\n' + JSON.stringify(d.raw, null, 2));
      console.log('\nDeliveries:');
      console.log(table(['target', 'status', 'version', 'delivered', 'delivered at', 'attempts', 'last error'], d.deliveries.map((x) => [x['target_id'] as string, x['status'] as string, x['version'] as number, (x['delivered_version'] as number | null) ?? null, x['delivered_at'] ? formatWhen(x['delivered_at']) : null, x['attempts'] as number, (x['last_error'] as string | null) ?? null])));
      const warnings = d.deliveries.flatMap((x) => {
        const a = x['last_answer'] as { warnings?: { kind: string; message: string }[] } | null;
        return (a?.warnings ?? []).map((w) => [x['target_id'] as string, w.kind, w.message]);
      });
      if (warnings.length) console.log('\nWarnings (what the target was sent differs from the ledger):\n' + table(['target', 'kind', 'warning'], warnings));
      console.log('\nReceipts (newest first):');
      console.log(table(['at', 'target', 'service', 'outcome', 'http', 'error_code', 'message', 'ms'], d.receipts.map((x) => [formatWhen(x['created_at']), x['target_id'] as string, x['service'] as string, x['outcome'] as string, (x['http_status'] as number | null) ?? null, (x['error_code'] as string | null) ?? null, (x['message'] as string | null) ?? null, x['duration_ms'] as number])));
    }
    return 0;
  });
}
