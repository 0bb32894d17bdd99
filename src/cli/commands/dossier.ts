import { NotFoundError } from '../../errors.ts';
import { getDossierDetail } from '../../ledger/queries.ts';
import { parse } from '../args.ts';
import { withLedger } from '../context.ts';
import { table } from '../format.ts';

export const help = `lienthong dossier show <MaHoSo> [--config FILE] [--json]
  The canonical record, the raw record as received, its deliveries and the portal's receipts.
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
      console.log(`first seen ${d.firstSeenAt}, updated ${d.updatedAt}`);
      console.log('\nCanonical record:\n' + JSON.stringify(d.canonical, null, 2));
      console.log('\nRaw record:\n' + JSON.stringify(d.raw, null, 2));
      console.log('\nDeliveries:');
      console.log(table(['target', 'status', 'version', 'delivered', 'attempts', 'last error'], d.deliveries.map((x) => [x['target_id'] as string, x['status'] as string, x['version'] as number, (x['delivered_version'] as number | null) ?? null, x['attempts'] as number, (x['last_error'] as string | null) ?? null])));
      console.log('\nReceipts (newest first):');
      console.log(table(['at', 'target', 'service', 'outcome', 'http', 'error_code', 'message', 'ms'], d.receipts.map((x) => [String(x['created_at']), x['target_id'] as string, x['service'] as string, x['outcome'] as string, (x['http_status'] as number | null) ?? null, (x['error_code'] as string | null) ?? null, (x['message'] as string | null) ?? null, x['duration_ms'] as number])));
    }
    return 0;
  });
}
