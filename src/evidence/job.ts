/**
 * The evidence job inside `lienthong serve`: on `evidence.verifySchedule` (daily by default, and
 * once at start-up) it signs every chain head (a chain that did not move is re-signed once a day)
 * and runs `ledger verify`, keeping the result for /metrics and the dashboard.
 */
import { randomUUID } from 'node:crypto';
import { Cron } from 'croner';
import type { Config } from '../../schemas/config.ts';
import { ConfigError } from '../errors.ts';
import type { Ledger } from '../ledger/db.ts';
import type { Logger } from '../logger.ts';
import { checkpointRun } from './run.ts';
import { recordVerification, verifyLedger, type LedgerVerification } from './verify-ledger.ts';

export async function evidenceTick(ledger: Ledger, config: Config): Promise<{ verification: LedgerVerification; checkpointError?: string }> {
  const cp = await checkpointRun(ledger, config, { reason: 'daily' });
  const verification = await verifyLedger(ledger);
  await recordVerification(ledger, verification, randomUUID());
  return { verification, ...(cp.error ? { checkpointError: cp.error } : {}) };
}

export function startEvidenceJob(ledger: Ledger, config: Config, logger: Logger): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = evidenceTick(ledger, config)
      .then(({ verification: v, checkpointError }) => {
        if (checkpointError) logger.error({ error: checkpointError }, 'evidence checkpoint not signed');
        const bad = v.targets.filter((t) => !t.ok).map((t) => ({ target: t.target, seq: t.problem?.seq, place: t.problem?.place }));
        if (bad.length) logger.error({ targets: bad }, 'ledger verify: a receipt chain does not verify');
        else logger.info({ targets: v.targets.map((t) => ({ target: t.target, receipts: t.receipts, unsignedTail: t.unsignedTail })) }, 'ledger verify: every chain verified');
      })
      .catch((err: unknown) => logger.error({ err }, 'evidence job failed'))
      .finally(() => {
        running = null;
      });
  };
  let cron: Cron;
  try {
    cron = new Cron(config.evidence.verifySchedule, { timezone: 'Asia/Ho_Chi_Minh' }, tick);
  } catch (e) {
    throw new ConfigError(`evidence.verifySchedule: "${config.evidence.verifySchedule}" is not a cron expression (${(e as Error).message})`);
  }
  tick();
  return {
    async stop() {
      cron.stop();
      await running;
    },
  };
}
