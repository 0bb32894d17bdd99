/**
 * `lienthong worker`: an extra outbox worker on the same PostgreSQL. Drains every target (or the
 * named ones) again and again: leases (FOR UPDATE SKIP LOCKED) keep several workers off each
 * other's deliveries, and claims take sources in turn so that none starves.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig, DEFAULT_CONFIG_PATH } from '../../config.ts';
import { ConfigError } from '../../errors.ts';
import { openLedger, resolveDatabaseUrl } from '../../ledger/db.ts';
import { createLogger } from '../../logger.ts';
import { drainTarget, leaseOwnerName, receiptWriter } from '../../outbox/index.ts';
import { createPortalClient } from '../../portal/index.ts';
import { parse } from '../args.ts';

export const help = `lienthong worker [--config FILE] [--target ID]… [--poll-ms N] [--until-idle]
  An extra outbox worker: delivers due dossiers of every target, on the same PostgreSQL as
  \`lienthong serve\` (start as many as the portal's rate budget allows; targets[].ratePerSecond is
  per process, so give each of N workers 1/N of the portal's limit). Needs PostgreSQL
  (DATABASE_URL or a postgres:// database): the embedded PGlite allows one process only.
    --poll-ms N     pause when nothing is due (default 1000)
    --until-idle    exit 0 once nothing is pending (batch use, tests, benchmarks)
  Example: DATABASE_URL=postgres://lienthong@db/lienthong npx lienthong worker --config lienthong.config.json`;

/** Drains for at most this long before looking at the stop flag again. */
const SLICE_MS = 10_000;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, { target: { type: 'string', multiple: true }, 'poll-ms': { type: 'string' }, 'until-idle': { type: 'boolean', default: false } }, false);
  if (values.help) {
    console.log(help);
    return 0;
  }
  const config = await loadConfig(values.config ?? DEFAULT_CONFIG_PATH);
  const url = resolveDatabaseUrl(config.database, process.env);
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new ConfigError(
      `lienthong worker needs PostgreSQL: the configured database (${url.split(':')[0]}) is the embedded PGlite, which one process only may open. Set DATABASE_URL (or "database") to a postgres:// URL shared with lienthong serve, or let \`lienthong sync\`/\`serve\` deliver on their own.`,
    );
  }
  const pollMs = values['poll-ms'] === undefined ? 1000 : Number(values['poll-ms']);
  if (!Number.isInteger(pollMs) || pollMs < 10) throw new ConfigError(`--poll-ms must be an integer ≥ 10, got "${values['poll-ms']}"`);
  const unknown = (values.target ?? []).filter((t) => !config.targets.some((x) => x.id === t));
  if (unknown.length) throw new ConfigError(`unknown target(s): ${unknown.join(', ')}`);
  const targets = config.targets.filter((t) => !values.target || values.target.includes(t.id));

  const logger = createLogger({ base: { service: 'worker' } });
  const ledger = await openLedger(url);
  const workerId = randomUUID();
  const owner = leaseOwnerName(workerId);
  const writeReceipt = receiptWriter(ledger, null);
  const clients = targets.map((target) => ({ target, client: createPortalClient(target, { env: process.env, onExchange: (e) => writeReceipt({ ...e, target: target.id }) }) }));
  let stopping = false;
  const stop = () => {
    stopping = true;
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  logger.info({ workerId, targets: targets.map((t) => t.id) }, 'worker started');
  try {
    while (!stopping) {
      const results = await Promise.all(
        clients.map(({ target, client }) => drainTarget(ledger, target, client, { owner, leaseMs: config.sync.leaseMs, deadline: Date.now() + SLICE_MS })),
      );
      const delivered = results.reduce((a, r) => a + r.delivered, 0);
      if (delivered) logger.info({ targets: results }, 'delivered');
      const pending = results.reduce((a, r) => a + r.pending, 0);
      if (values['until-idle'] && pending === 0) break;
      if (!delivered && !stopping) await sleep(pollMs);
    }
  } finally {
    await Promise.all(clients.map(({ client }) => client.close()));
    await ledger.close();
    logger.info({ workerId }, 'worker stopped');
  }
  return 0;
}
