/**
 * The Worker: `fetch` serves the HTTP API and webhook intake (the same app as `lienthong serve`),
 * `scheduled` starts the sync of the HTTP-reachable sources, `queue` pulls one source per message.
 */
import { ConfigSchema, type Config } from '../../../schemas/config.ts';
import { createApp } from '../../http/app.ts';
import { createRecordMapping } from '../../intake/map.ts';
import type { Ledger } from '../../ledger/db.ts';
import { ConfigError } from '../../errors.ts';
import { stringBindings, type ExecutionContextLike, type MessageBatch, type ScheduledControllerLike, type SyncMessage, type WorkerEnv } from './env.ts';
import { openHyperdriveLedger } from '../../ledger/hyperdrive.ts';
import { createWorkerLogger } from './logger.ts';
import { pullSource, startScheduledSync } from './sync.ts';

let cached: { text: string; config: Config } | undefined;

/** The configuration from the `LIENTHONG_CONFIG` variable, parsed once per isolate. */
export function workerConfig(env: WorkerEnv): Config {
  const text = env.LIENTHONG_CONFIG ?? '';
  if (cached?.text === text) return cached.config;
  let json: unknown;
  try {
    json = JSON.parse(text || '{}');
  } catch {
    throw new ConfigError('LIENTHONG_CONFIG is not JSON');
  }
  const parsed = ConfigSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError('LIENTHONG_CONFIG is invalid', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  cached = { text, config: parsed.data };
  return parsed.data;
}

function ledgerOf(env: WorkerEnv): Ledger {
  if (!env.HYPERDRIVE?.connectionString) throw new ConfigError('the HYPERDRIVE binding is missing (wrangler.toml [[hyperdrive]])');
  return openHyperdriveLedger(env.HYPERDRIVE.connectionString);
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContextLike): Promise<Response> {
    const logger = createWorkerLogger({ service: 'workers' }, env.LOG_LEVEL);
    const url = new URL(request.url);
    // Liveness needs neither the configuration nor the database.
    if (url.pathname === '/healthz') return Response.json({ status: 'ok', runtime: 'workers' });
    // postgres.js connects lazily: a request that does not query opens no connection.
    const ledger = ledgerOf(env);
    try {
      const bindings = stringBindings(env);
      // The mapping's adapter registry is the Worker's (build.mjs swaps it in: HTTP and webhook adapters).
      const app = createApp({ ledger, config: workerConfig(env), env: bindings, logger, mapping: createRecordMapping(bindings) });
      return await app.fetch(request, env, ctx as never);
    } finally {
      ctx.waitUntil(ledger.close());
    }
  },

  async scheduled(controller: ScheduledControllerLike, env: WorkerEnv, ctx: ExecutionContextLike): Promise<void> {
    const logger = createWorkerLogger({ service: 'workers', cron: controller.cron }, env.LOG_LEVEL);
    const work = startScheduledSync(() => ledgerOf(env), workerConfig(env), { queue: env.SYNC_QUEUE, cron: controller.cron }).then((out) => {
      for (const s of out.skipped) logger.info({ sourceId: s.id, adapter: s.adapter }, `scheduled sync skips source ${s.id}: ${s.reason}`);
      logger.info({ runId: out.runId, sources: out.fannedOut }, `scheduled sync started for ${out.fannedOut.length} source(s)`);
    });
    ctx.waitUntil(work);
    await work;
  },

  async queue(batch: MessageBatch<SyncMessage>, env: WorkerEnv): Promise<void> {
    const logger = createWorkerLogger({ service: 'workers', queue: batch.queue }, env.LOG_LEVEL);
    const config = workerConfig(env);
    const ledger = ledgerOf(env);
    try {
      for (const message of batch.messages) {
        const summary = await pullSource(ledger, config, message.body);
        logger.info({ runId: message.body.runId, ...summary }, `pulled source ${summary.id}`);
        message.ack();
      }
    } finally {
      await ledger.close();
    }
  },
};
