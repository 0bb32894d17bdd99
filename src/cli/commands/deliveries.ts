/**
 * `lienthong deliveries list|retry`: the outbox from the command line. A wrong password or a long
 * outage dead-letters dossiers; once the cause is fixed, `retry` sends them again.
 */
import { ConfigError } from '../../errors.ts';
import { DELIVERY_STATUSES, listDeliveries, retryDeliveries, type DeliveryStatus } from '../../outbox/manage.ts';
import { formatCount, formatInstantVi } from '../../reports/formats/vi-number.ts';
import { parse } from '../args.ts';
import { withLedger } from '../context.ts';
import { table } from '../format.ts';

export const help = `lienthong deliveries list  [--config FILE] [--target ID] [--status pending|delivered|dead] [--source ID] [--dossier CODE] [--limit N] [--json]
lienthong deliveries retry [--config FILE] [--target ID] [--status dead|pending] [--source ID] [--dossier CODE] [--json]
  list: deliveries to the portals, most recently changed first, with attempts and the last error.
  retry: sends dead deliveries again (attempts from zero); --status pending sends waiting ones now
  instead of after their backoff. The next \`sync\`, a running \`serve\` or a \`worker\` delivers them.
  Fix the cause first (password, portal address, a rejected field): a delivery that fails again
  dead-letters again.
  Examples: npx lienthong deliveries list --status dead --target national
            npx lienthong deliveries retry --target national
            npx lienthong deliveries retry --dossier 000.20.48.H48-261001-0001`;

const OPTIONS = {
  target: { type: 'string' },
  status: { type: 'string' },
  source: { type: 'string' },
  dossier: { type: 'string' },
  limit: { type: 'string' },
} as const;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, OPTIONS);
  const sub = positionals[0];
  if (values.help || (sub !== 'list' && sub !== 'retry')) {
    console.log(help);
    return values.help ? 0 : 1;
  }
  const status = values.status;
  if (status !== undefined && !(DELIVERY_STATUSES as readonly string[]).includes(status)) throw new ConfigError(`--status must be one of ${DELIVERY_STATUSES.join(', ')}, got "${status}"`);
  const filter = { target: values.target, source: values.source, dossier: values.dossier };
  return withLedger(values.config, async (ledger, config) => {
    if (values.target !== undefined && !config.targets.some((t) => t.id === values.target)) {
      throw new ConfigError(`--target: no target "${values.target}" in the configuration (targets: ${config.targets.map((t) => t.id).join(', ') || 'none'})`);
    }
    if (sub === 'retry') {
      if (status === 'delivered') throw new ConfigError('--status delivered: delivered dossiers are not sent again (a changed dossier is queued by the next pull)');
      const out = await retryDeliveries(ledger, { ...filter, ...(status ? { status: status as 'dead' | 'pending' } : {}) });
      if (values.json) console.log(JSON.stringify(out));
      else if (out.requeued === 0) console.log(`No ${status ?? 'dead'} delivery matches: nothing queued.`);
      else console.log(`Queued ${formatCount(out.requeued)} deliver${out.requeued === 1 ? 'y' : 'ies'} again; the next \`lienthong sync\` (or a running serve/worker) sends ${out.requeued === 1 ? 'it' : 'them'}.`);
      return 0;
    }
    const limit = values.limit === undefined ? 100 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new ConfigError(`--limit must be a whole number from 1 to 10000, got "${values.limit}"`);
    const rows = await listDeliveries(ledger, { ...filter, ...(status ? { status: status as DeliveryStatus } : {}) }, { limit });
    if (values.json) {
      console.log(JSON.stringify({ deliveries: rows }, null, 2));
      return 0;
    }
    if (rows.length === 0) {
      console.log('No delivery matches.');
      return 0;
    }
    console.log(
      table(
        ['id', 'dossier', 'source', 'target', 'status', 'version', 'attempts', 'next try / delivered', 'last error'],
        rows.map((r) => [r.id, r.code, r.sourceId, r.targetId, r.status, r.version, r.attempts, r.status === 'delivered' ? (r.deliveredAt ? formatInstantVi(r.deliveredAt) : '') : r.status === 'pending' ? formatInstantVi(r.nextAttemptAt) : '', r.lastError ? r.lastError.slice(0, 160) : '']),
      ),
    );
    console.log(`${formatCount(rows.length)} deliver${rows.length === 1 ? 'y' : 'ies'}${rows.length === limit ? ` (the first ${limit}; --limit for more)` : ''}. Times are local (UTC+7).`);
    return 0;
  });
}
