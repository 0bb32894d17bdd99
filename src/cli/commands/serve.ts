/**
 * `lienthong serve`: the HTTP API, webhook intake, /metrics and the scheduler in one process,
 * until SIGINT/SIGTERM (then: stop accepting, stop the crons, let running runs finish).
 */
import { loadConfig, DEFAULT_CONFIG_PATH } from '../../config.ts';
import { createDashboardApp } from '../../dashboard/index.ts';
import { ConfigError } from '../../errors.ts';
import { findApiKey } from '../../http/api-keys.ts';
import { createApp } from '../../http/app.ts';
import { listenNode } from '../../http/node-server.ts';
import { reconciliationRoutes } from '../../http/routes/reconciliations.ts';
import { reportRoutes } from '../../http/routes/reports.ts';
import { createRecordMapping } from '../../intake/map.ts';
import { openLedger, redactUrl, resolveDatabaseUrl } from '../../ledger/db.ts';
import { createLogger } from '../../logger.ts';
import { renderMetrics } from '../../metrics/index.ts';
import { runSync } from '../../pipeline/sync.ts';
import { checkSchedules, createScheduler } from '../../scheduler/scheduler.ts';
import { parse } from '../args.ts';
import { startEvidenceJob } from '../../evidence/job.ts';

export const help = `lienthong serve [--config FILE] [--port N] [--host H] [--no-scheduler]
  Runs the HTTP API (/api/v1, keys from \`lienthong apikey\`), webhook intake (POST /ingest/{sourceId}),
  /healthz, /readyz, /metrics, /openapi.json, and the scheduler (sources[].schedule, cron in
  Asia/Ho_Chi_Minh). Logs are JSON lines on stdout (LOG_LEVEL=debug for more). Stops on SIGINT/SIGTERM.
    --port N          default server.port (8080)
    --host H          default server.host (127.0.0.1: loopback only; 0.0.0.0 opens it to the network)
  Bounds (config server.*): bodyLimitBytes (5 MiB, every route, 413), headersTimeoutMs (10000) and
  requestTimeoutMs (60000) for a client to send its headers / whole request (408), maxConnections (1024).
    --no-scheduler    API and intake only (e.g. a second API process; runs stay on one)
  Example: npx lienthong serve --config lienthong.config.json --port 8080`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, { port: { type: 'string' }, host: { type: 'string' }, 'no-scheduler': { type: 'boolean', default: false } }, false);
  if (values.help) {
    console.log(help);
    return 0;
  }
  const config = await loadConfig(values.config ?? DEFAULT_CONFIG_PATH);
  checkSchedules(config);
  const port = values.port === undefined ? config.server.port : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ConfigError(`--port must be an integer from 0 to 65535, got "${values.port}"`);
  const hostname = values.host ?? config.server.host;
  const logger = createLogger({ base: { service: 'serve' } });
  const url = resolveDatabaseUrl(config.database, process.env);
  // On the embedded database, the other lienthong commands work through this process meanwhile.
  const ledger = await openLedger(url, { share: true });
  const scheduler = values['no-scheduler'] ? undefined : createScheduler({ ledger, config, logger, runSource: (id) => runSync(ledger, config, { env: process.env, sourceIds: [id] }) });
  const app = createApp({ ledger, config, env: process.env, logger, mapping: createRecordMapping(process.env), ...(scheduler ? { scheduler } : {}), metrics: () => renderMetrics(ledger, config) }, [
    ...reportRoutes,
    ...reconciliationRoutes,
  ]);
  app.route('/', createDashboardApp({ ledger, config, env: process.env, authenticate: async (key) => (await findApiKey(ledger, key)) ?? undefined }));
  const server = await listenNode(app.fetch, { port, hostname, limits: config.server });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  await scheduler?.start();
  // Evidence: daily checkpoint and `ledger verify` (src/evidence/job.ts), with the scheduler.
  const evidenceJob = scheduler ? startEvidenceJob(ledger, config, logger) : undefined;
  logger.info({ port: actualPort, host: hostname, database: redactUrl(url.startsWith('pglite:') ? `pglite://${url.slice(7)}` : url), scheduler: Boolean(scheduler) }, 'listening');
  if (!values.quiet) console.error(`lienthong serve: listening on http://${hostname}:${actualPort} (API /api/v1, docs /openapi.json)`);

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  logger.info({ signal }, 'stopping');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await scheduler?.stop();
  await evidenceJob?.stop();
  await ledger.close();
  logger.info('stopped');
  return 0;
}
