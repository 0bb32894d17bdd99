/**
 * The scheduler inside `lienthong serve`: one cron per source that has a `schedule`
 * (Asia/Ho_Chi_Minh). A run of a source holds its run lock for its whole duration, so it never
 * overlaps itself, in this process or another; a tick that finds the lock held is reported as a
 * missed run, and so are ticks that fell while no process ran (found at start-up).
 */
import { Cron } from 'croner';
import type { Config, SourceConfig } from '../../schemas/config.ts';
import { ConfigError, GatewayError } from '../errors.ts';
import type { SchedulerControl, SourceScheduleStatus } from './types.ts';
import type { Ledger } from '../ledger/db.ts';
import type { Logger } from '../logger.ts';
import type { RunSummary } from '../pipeline/sync.ts';
import { createRunLock, type RunLock } from './lock.ts';
import { TIMEZONE, lastRunStart, missedSince, recordMissed, type MissedRun } from './missed.ts';

export interface SchedulerOptions {
  ledger: Ledger;
  config: Config;
  logger: Logger;
  /** Runs one source (pull, then deliver); `serve` passes `runSync` with `sourceIds: [id]`. */
  runSource(sourceId: string): Promise<RunSummary>;
  now?: () => Date;
}

export interface Scheduler extends SchedulerControl {
  /** Reports runs missed while down, then starts the crons. */
  start(): Promise<void>;
  /** Stops the crons and waits for runs in progress. */
  stop(): Promise<void>;
}

/** Validates every `sources[].schedule`, naming each bad one. */
export function checkSchedules(config: Config): void {
  const problems: string[] = [];
  config.sources.forEach((s, i) => {
    if (!s.schedule) return;
    try {
      new Cron(s.schedule, { timezone: TIMEZONE, paused: true }).stop();
    } catch (e) {
      problems.push(`sources[${i}].schedule: "${s.schedule}" is not a cron expression (${(e as Error).message})`);
    }
  });
  if (problems.length) throw new ConfigError('configuration is invalid', problems);
}

/**
 * @example
 * const scheduler = createScheduler({ ledger, config, logger, runSource: (id) => runSync(ledger, config, { env, sourceIds: [id] }) });
 * await scheduler.start();
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  checkSchedules(options.config);
  const { ledger, config, logger } = options;
  const now = options.now ?? (() => new Date());
  const lock: RunLock = createRunLock(ledger);
  const crons = new Map<string, Cron>();
  const running = new Map<string, Promise<void>>();
  const missed = new Map<string, MissedRun[]>();

  const report = async (m: MissedRun) => {
    logger.warn({ sourceId: m.sourceId, scheduledFor: m.scheduledFor, reason: m.reason }, 'scheduled run missed');
    await recordMissed(ledger, m).catch((err: unknown) => logger.error({ err }, 'cannot record a missed run'));
    missed.set(m.sourceId, [...(missed.get(m.sourceId) ?? []), m].slice(-20));
  };

  /** Takes the lock and runs in the background; null when the source is already running somewhere. */
  const launch = async (source: SourceConfig, why: 'schedule' | 'manual'): Promise<string | null> => {
    const release = await lock.tryAcquire(`sync:${source.id}`);
    if (!release) return null;
    const startedAt = now().toISOString();
    const log = logger.child({ sourceId: source.id, trigger: why });
    log.info('run started');
    const done = options
      .runSource(source.id)
      .then((s) => log.info({ runId: s.runId, exitCode: s.exitCode, sources: s.sources, targets: s.targets }, 'run finished'))
      .catch((err: unknown) => log.error({ err }, 'run failed'))
      .finally(async () => {
        running.delete(source.id);
        await release();
      });
    running.set(source.id, done);
    return startedAt;
  };

  return {
    async start() {
      for (const source of config.sources) {
        if (!source.schedule) continue;
        const last = await lastRunStart(ledger, source.id);
        if (last) for (const d of missedSince(source.schedule, last, now())) await report({ sourceId: source.id, scheduledFor: d.toISOString(), reason: 'not_running' });
        const cron = new Cron(source.schedule, { timezone: TIMEZONE, name: `sync:${source.id}` }, async (self: Cron) => {
          const scheduledFor = (self.currentRun() ?? now()).toISOString();
          try {
            if ((await launch(source, 'schedule')) === null) await report({ sourceId: source.id, scheduledFor, reason: 'still_running' });
          } catch (err) {
            logger.error({ err, sourceId: source.id }, 'cannot start a scheduled run');
          }
        });
        crons.set(source.id, cron);
        logger.info({ sourceId: source.id, schedule: source.schedule, nextRunAt: cron.nextRun()?.toISOString() }, 'scheduled');
      }
    },
    async stop() {
      for (const c of crons.values()) c.stop();
      crons.clear();
      await Promise.all(running.values());
    },
    async trigger(sourceId) {
      const source = config.sources.find((s) => s.id === sourceId);
      if (!source) throw new GatewayError('not_found', `no source "${sourceId}" in the configuration`, { status: 404 });
      const startedAt = await launch(source, 'manual');
      if (startedAt === null) throw new GatewayError('run_in_progress', `a run of source "${sourceId}" is in progress (here or in another process); try again when it has finished`, { status: 409 });
      return { sourceId, startedAt };
    },
    status(sourceId): SourceScheduleStatus {
      const source = config.sources.find((s) => s.id === sourceId);
      return {
        schedule: source?.schedule ?? null,
        nextRunAt: crons.get(sourceId)?.nextRun()?.toISOString() ?? null,
        running: running.has(sourceId),
        missedRuns: (missed.get(sourceId) ?? []).map((m) => ({ scheduledFor: m.scheduledFor, reason: m.reason })),
      };
    },
  };
}
