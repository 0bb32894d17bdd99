/**
 * Opens the configuration and the ledger for a command, and always closes the ledger.
 */
import type { Config } from '../../schemas/config.ts';
import { loadConfig, DEFAULT_CONFIG_PATH } from '../config.ts';
import { openLedger, resolveDatabaseUrl, type Ledger } from '../ledger/db.ts';

export async function withLedger<T>(configPath: string | undefined, fn: (ledger: Ledger, config: Config) => Promise<T>): Promise<T> {
  const config = await loadConfig(configPath ?? DEFAULT_CONFIG_PATH);
  const ledger = await openLedger(resolveDatabaseUrl(config.database, process.env));
  try {
    return await fn(ledger, config);
  } finally {
    await ledger.close();
  }
}
