/** The checkpoint at the end of a run (sync, serve's daily job): never lets a signing failure hide the run's result. */
import type { Config } from '../../schemas/config.ts';
import type { Ledger } from '../ledger/db.ts';
import { signHeads, type Checkpoint, type CheckpointReason } from './checkpoint.ts';
import { keyFilePath, loadOrCreateSigningKey } from './keys.ts';

export async function checkpointRun(ledger: Ledger, config: Pick<Config, 'database' | 'evidence'>, options: { reason: CheckpointReason; runId?: string | null; env?: Record<string, string | undefined> }): Promise<{ checkpoints: Checkpoint[]; error?: string }> {
  try {
    const key = await loadOrCreateSigningKey(keyFilePath(config, options.env ?? process.env));
    return { checkpoints: await signHeads(ledger, key, { reason: options.reason, runId: options.runId ?? null }) };
  } catch (e) {
    return { checkpoints: [], error: `evidence checkpoint not signed: ${(e as Error).message}` };
  }
}
