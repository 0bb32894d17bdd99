/**
 * One sync run: pull every source into the ledger, then drain every target's outbox until all due
 * deliveries are delivered or dead, or the deadline passes. The run and its summary are stored.
 * Exit codes: 0 all good; 2 finished but something needs attention; 1 fatal (thrown).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'drizzle-orm';
import type { Config } from '../../schemas/config.ts';
import { getAdapter } from '../../adapters/index.ts';
import { ConfigError, GatewayError } from '../errors.ts';
import type { Ledger } from '../ledger/db.ts';
import { storableJson } from '../ledger/storable.ts';
import { drainTarget, leaseOwnerName, receiptWriter, type TargetSummary } from '../outbox/index.ts';
import { createPortalClient } from '../portal/index.ts';
import { ingestSource, type SourceSummary } from './ingest.ts';
import { publicMessage } from '../privacy.ts';
import { checkpointRun } from '../evidence/run.ts';

export interface RunSummary {
  runId: string;
  startedAt: string;
  finishedAt: string;
  sources: SourceSummary[];
  targets: TargetSummary[];
  exitCode: 0 | 2;
  /** Set when the run's evidence checkpoint could not be signed (the key file unreadable…). */
  evidenceError?: string;
}

export interface SyncOptions {
  env: Record<string, string | undefined>;
  /** Only these sources / targets (default: all). */
  sourceIds?: string[];
  targetIds?: string[];
  /** Skip pulling (deliver only) or skip delivering (pull only). */
  pull?: boolean;
  push?: boolean;
  onSource?: (s: SourceSummary) => void;
  onTarget?: (t: TargetSummary) => void;
}

export async function runSync(ledger: Ledger, config: Config, options: SyncOptions): Promise<RunSummary> {
  const runId = randomUUID();
  const startedAt = new Date().toISOString();
  await ledger.rows(sql`insert into runs (id, kind, started_at, host, pid) values (${runId}::uuid, 'sync', ${startedAt}, ${hostname()}, ${process.pid})`);
  try {
    return await syncRun(ledger, config, options, runId, startedAt);
  } catch (e) {
    // A run always ends with a status, whatever stopped it.
    await markRunFailed(ledger, runId, startedAt, e);
    throw e;
  }
}

/** Ends a run that threw: status `failed`, exit code 1; the message only when it is the gateway's own. */
async function markRunFailed(ledger: Ledger, runId: string, startedAt: string, error: unknown): Promise<void> {
  const message = error instanceof GatewayError ? publicMessage(error) : `the run stopped on an internal error (${error instanceof Error ? error.name : typeof error}); see the log`;
  const summary = { runId, startedAt, finishedAt: new Date().toISOString(), error: message };
  await ledger
    .rows(sql`update runs set finished_at = ${summary.finishedAt}, status = 'failed', exit_code = 1,
      summary = ${storableJson(summary)}::jsonb where id = ${runId}::uuid and finished_at is null`)
    .catch(() => undefined);
}

async function syncRun(ledger: Ledger, config: Config, options: SyncOptions, runId: string, startedAt: string): Promise<RunSummary> {
  const deadline = Date.now() + config.sync.deadlineMs;
  const sources = config.sources.filter((s) => !options.sourceIds || options.sourceIds.includes(s.id));
  const targets = config.targets.filter((t) => !options.targetIds || options.targetIds.includes(t.id));
  const allTargetIds = config.targets.map((t) => t.id);

  const sourceSummaries: SourceSummary[] = [];
  if (options.pull !== false) {
    for (const source of sources) {
      const adapter = getAdapter(source.adapter);
      if (!adapter) throw new ConfigError(`source "${source.id}": unknown adapter "${source.adapter}"`);
      try {
        sourceSummaries.push(await ingestSource(ledger, source, adapter, { runId, targetIds: allTargetIds, env: options.env, ...(options.onSource ? { onPage: options.onSource } : {}) }));
      } catch (e) {
        // One failing source never stops the others; its error is in the summary.
        if (e instanceof ConfigError) throw e;
        sourceSummaries.push({ id: source.id, pulled: 0, new: 0, changed: 0, unchanged: 0, quarantined: 0, error: publicMessage(e) });
      }
    }
  }

  const targetSummaries: TargetSummary[] = [];
  if (options.push !== false) {
    const writeReceipt = receiptWriter(ledger, runId);
    const results = await Promise.all(
      targets.map(async (target) => {
        const client = createPortalClient(target, { env: options.env, onExchange: (e) => writeReceipt({ ...e, target: target.id }) });
        try {
          return await drainTarget(ledger, target, client, {
            owner: leaseOwnerName(runId),
            leaseMs: config.sync.leaseMs,
            deadline,
            ...(options.onTarget ? { onProgress: options.onTarget } : {}),
          });
        } finally {
          await client.close();
        }
      }),
    );
    targetSummaries.push(...results);
  }

  // Evidence: the chain head of every target signed at the end of the run (src/evidence).
  const evidence = options.push !== false ? await checkpointRun(ledger, config, { reason: 'run', runId, env: options.env }) : null;

  const attention = sourceSummaries.some((s) => s.quarantined > 0 || s.error) || targetSummaries.some((t) => t.pending > 0 || t.dead > 0);
  const summary: RunSummary = {
    runId,
    startedAt,
    finishedAt: new Date().toISOString(),
    sources: sourceSummaries,
    targets: targetSummaries,
    exitCode: attention ? 2 : 0,
    ...(evidence?.error ? { evidenceError: evidence.error } : {}),
  };
  await ledger.rows(sql`update runs set finished_at = ${summary.finishedAt}, status = ${attention ? 'attention' : 'ok'},
    exit_code = ${summary.exitCode}, summary = ${JSON.stringify(summary)}::jsonb where id = ${runId}::uuid`);
  return summary;
}
