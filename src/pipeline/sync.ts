/**
 * One sync run: pull every source into the ledger, then drain every target's outbox until all due
 * deliveries are delivered or dead, or the deadline passes. The run and its summary are stored.
 * Exit codes: 0 all good; 2 finished but something needs attention; 1 fatal (thrown).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'drizzle-orm';
import type { Config } from '../../schemas/config.ts';
import { ConfigError, GatewayError } from '../errors.ts';
import type { Ledger } from '../ledger/db.ts';
import { storableJson } from '../ledger/storable.ts';
import { drainTarget, leaseOwnerName, receiptWriter, type TargetSummary } from '../outbox/index.ts';
import { routedTargetIds } from '../outbox/units.ts';
import { createPortalClient } from '../portal/index.ts';
import { ingestSource, type SourceSummary } from './ingest.ts';
import { adapterOfSource } from './build-source.ts';
import { checkEnvironment } from './environment.ts';
import { keepRunLease, markInterruptedRuns, runningSummaryJson, type InterruptedRun } from './runs.ts';
import { targetFailure, type TargetRunSummary } from './target-failure.ts';
import { publicMessage } from '../privacy.ts';
import { checkpointRun } from '../evidence/run.ts';

export interface RunSummary {
  runId: string;
  startedAt: string;
  finishedAt: string;
  sources: SourceSummary[];
  /** Each target's counts; `failure` says why some are pending or dead, and when they are tried next. */
  targets: TargetRunSummary[];
  exitCode: 0 | 2;
  /** Earlier runs this run found left `running` by a process that is gone, now marked `interrupted`. */
  interrupted?: InterruptedRun[];
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
  /** Read these sources from the beginning, ignoring their stored cursor (`sync --reread SOURCE`). */
  reread?: string[];
  /** Called once the run is recorded (its id), before anything is read. */
  onStart?: (runId: string) => void;
}

export async function runSync(ledger: Ledger, config: Config, options: SyncOptions): Promise<RunSummary> {
  // The environment first: a missing secret stops the run before anything is read, stored or sent.
  // The refused run is still recorded (failed, with its reason) so /api/v1/runs shows why nothing ran.
  try {
    checkEnvironment(config, options.env, { ...(options.sourceIds ? { sourceIds: options.sourceIds } : {}), ...(options.targetIds ? { targetIds: options.targetIds } : {}), pull: options.pull !== false, push: options.push !== false });
    for (const id of options.reread ?? []) if (!config.sources.some((s) => s.id === id)) throw new ConfigError(`--reread: no source "${id}" in the configuration (sources: ${config.sources.map((s) => s.id).join(', ') || 'none'})`);
  } catch (e) {
    const refusedId = randomUUID();
    const at = new Date().toISOString();
    await ledger
      .rows(sql`insert into runs (id, kind, started_at, host, pid) values (${refusedId}::uuid, 'sync', ${at}, ${hostname()}, ${process.pid})`)
      .then(() => markRunFailed(ledger, refusedId, at, e))
      .catch(() => undefined);
    throw e;
  }
  // Runs a killed process left `running` end now, as interrupted.
  const interrupted = await markInterruptedRuns(ledger);
  const runId = randomUUID();
  const startedAt = new Date().toISOString();
  await ledger.rows(sql`insert into runs (id, kind, started_at, host, pid, lease_until, summary)
    values (${runId}::uuid, 'sync', ${startedAt}, ${hostname()}, ${process.pid}, now() + make_interval(secs => ${config.sync.leaseMs / 1000}), ${runningSummaryJson()}::jsonb)`);
  const stopLease = keepRunLease(ledger, runId, config.sync.leaseMs);
  try {
    options.onStart?.(runId);
    const summary = await syncRun(ledger, config, options, runId, startedAt);
    if (interrupted.length) summary.interrupted = interrupted;
    return summary;
  } catch (e) {
    // A run always ends with a status, whatever stopped it.
    await markRunFailed(ledger, runId, startedAt, e);
    throw e;
  } finally {
    stopLease();
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
  // Every target receives new and changed dossiers (a target with `units` only its units'), whichever are delivered now.
  const allTargetIds = routedTargetIds(config.targets);

  const sourceSummaries: SourceSummary[] = [];
  if (options.pull !== false) {
    for (const source of sources) {
      const adapter = adapterOfSource(source);
      try {
        const reread = options.reread?.includes(source.id) ?? false;
        sourceSummaries.push(await ingestSource(ledger, source, adapter, { runId, targetIds: allTargetIds, env: options.env, ...(reread ? { reread } : {}), ...(options.onSource ? { onPage: options.onSource } : {}) }));
      } catch (e) {
        // One failing source never stops the others; its error is in the summary.
        if (e instanceof ConfigError) throw e;
        sourceSummaries.push({ id: source.id, pulled: 0, new: 0, changed: 0, unchanged: 0, quarantined: 0, error: publicMessage(e) });
      }
    }
  }

  const targetSummaries: TargetRunSummary[] = [];
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
    // Why a target has pending or dead deliveries, and when they are tried next.
    for (const [i, r] of results.entries()) {
      const failure = r.pending > 0 || r.dead > 0 ? await targetFailure(ledger, targets[i]!) : undefined;
      targetSummaries.push(failure ? { ...r, failure } : r);
    }
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
