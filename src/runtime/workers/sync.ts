/**
 * The scheduled sync on Workers: `scheduled` opens a run and fans out one Queue message per
 * HTTP-reachable source; each message pulls its source into the ledger and adds its summary to
 * the run, which finishes when every source has reported. Delivering the outbox stays with the
 * `lienthong worker` processes on the same PostgreSQL (the portal clients need Node's undici).
 */
import type { Config, SourceConfig } from '../../../schemas/config.ts';
import type { Ledger } from '../../ledger/db.ts';
import { addSourceToRun, insertWorkersRun } from '../../ledger/workers-runs.ts';
import { ingestSource, type SourceSummary } from '../../pipeline/ingest.ts';
import { PULLED_OVER_HTTP, getAdapter } from './adapters.ts';
import type { QueueProducer, SyncMessage } from './env.ts';
import { routedTargetIds } from '../../outbox/units.ts';
import { publicMessage } from '../../privacy.ts';

export interface SkippedSource {
  id: string;
  adapter: string;
  reason: string;
}

/** Sources a Worker can pull, and the others with the reason. */
export function splitSources(config: Config): { runnable: SourceConfig[]; skipped: SkippedSource[] } {
  const runnable: SourceConfig[] = [];
  const skipped: SkippedSource[] = [];
  for (const s of config.sources) {
    if (PULLED_OVER_HTTP.has(s.adapter)) runnable.push(s);
    else skipped.push({ id: s.id, adapter: s.adapter, reason: s.adapter === 'webhook' ? 'push-only (webhook intake)' : 'not pulled over HTTP (file-based or unknown adapter): pulled by lienthong serve on Node' });
  }
  return { runnable, skipped };
}

export interface ScheduledOutcome {
  runId: string | null;
  fannedOut: string[];
  skipped: SkippedSource[];
}

/**
 * Opens a run and sends one message per runnable source (or pulls them in turn without a Queue).
 * Nothing to run: no run row, no database connection.
 */
export async function startScheduledSync(
  openLedger: () => Ledger,
  config: Config,
  opts: { queue?: QueueProducer<SyncMessage> | undefined; cron: string },
): Promise<ScheduledOutcome> {
  const { runnable, skipped } = splitSources(config);
  if (runnable.length === 0) return { runId: null, fannedOut: [], skipped };
  const runId = crypto.randomUUID();
  const ledger = openLedger();
  try {
    const summary = { trigger: { kind: 'workers-cron', cron: opts.cron }, expected: runnable.map((s) => s.id), sources: [], targets: [], skipped };
    await insertWorkersRun(ledger, runId, summary);
    if (opts.queue) {
      await opts.queue.sendBatch(runnable.map((s) => ({ body: { sourceId: s.id, runId } })));
    } else {
      for (const s of runnable) await pullSource(ledger, config, { sourceId: s.id, runId });
    }
  } finally {
    await ledger.close();
  }
  return { runId, fannedOut: runnable.map((s) => s.id), skipped };
}

/**
 * Pulls one source for a run and records its summary; the run is finished by the last source.
 * A failing source is recorded with its error (not retried by the Queue: the next cron retries).
 */
export async function pullSource(ledger: Ledger, config: Config, msg: SyncMessage): Promise<SourceSummary> {
  const source = config.sources.find((s) => s.id === msg.sourceId);
  const adapter = source && PULLED_OVER_HTTP.has(source.adapter) ? getAdapter(source.adapter) : undefined;
  let summary: SourceSummary;
  if (!source || !adapter) {
    summary = { id: msg.sourceId, pulled: 0, new: 0, changed: 0, unchanged: 0, quarantined: 0, error: 'source not configured for Workers' };
  } else {
    try {
      summary = await ingestSource(ledger, source, adapter, { runId: msg.runId, targetIds: routedTargetIds(config.targets) });
    } catch (e) {
      summary = { id: source.id, pulled: 0, new: 0, changed: 0, unchanged: 0, quarantined: 0, error: publicMessage(e) };
    }
  }
  await addSourceToRun(ledger, msg.runId, summary);
  return summary;
}
