/**
 * What the HTTP app is built from. Everything runtime-specific (database driver, scheduler, clock,
 * logger) comes in through `AppDeps`, so the same app runs under `lienthong serve` on Node and,
 * later, on Workers.
 */
import type { Config } from '../../schemas/config.ts';
import type { RecordMapping } from '../intake/accept.ts';
import type { Ledger } from '../ledger/db.ts';
import type { Logger } from '../logger.ts';
import type { SchedulerControl } from '../scheduler/types.ts';

export type { SchedulerControl, SourceScheduleStatus } from '../scheduler/types.ts';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What `serve`'s scheduler offers the API (absent: triggering a run answers 503). */
export interface AppDeps {
  ledger: Ledger;
  config: Config;
  /** Environment (webhook secrets are read from the variables the sources name). */
  env: Record<string, string | undefined>;
  logger: Logger;
  /**
   * Maps pushed and replayed records with a source's adapter (Node: `createRecordMapping` of
   * src/intake/map.ts). Without it, webhook intake and quarantine replay answer 503.
   */
  mapping?: RecordMapping;
  scheduler?: SchedulerControl;
  /** Renders `/metrics` (Prometheus text format). */
  metrics?: () => Promise<string>;
  /** Clock in ms (tests move it). */
  now?: () => number;
}

export interface ApiKeyIdentity {
  id: string;
  name: string;
  role: Role;
  /** The key's first characters (`lt_ab12`), to tell keys apart in logs; never enough to use it. */
  prefix?: string;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    apiKey: ApiKeyIdentity | undefined;
  };
}
