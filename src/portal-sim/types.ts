/**
 * Public shapes of the portal simulator: fault knobs, statistics, stored dossiers, options.
 */
import { z } from 'zod';
import type { PortalDossier, PortalProgress } from '../../schemas/portal.ts';
import type { SimDialect } from './dialects.ts';

const probability = z.number().min(0).max(1);
const millis = z.number().int().min(0).max(600_000);

/**
 * Faults injected on demand. Probabilities are per request (0–1), drawn from the seeded RNG.
 * Validated by the CLI (`--faults '<json>'`); unknown keys are refused so that a typo is not
 * silently a fault-free run.
 */
export const SimFaultsSchema = z.strictObject({
  /** Answer HTTP 503 without touching the store. */
  p503: probability.optional(),
  /** Answer HTTP 429 with `Retry-After: retryAfterSeconds`. */
  p429: probability.optional(),
  retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
  /** Say nothing for `hangMs`, then answer 504 without touching the store. */
  pHang: probability.optional(),
  hangMs: millis.optional(),
  /** Destroy the TCP connection before doing anything. */
  pReset: probability.optional(),
  /** Store an accepted push, then answer 502 or reset: the effect happened, the ack is lost. */
  pLostAck: probability.optional(),
  /** Expire the caller's session before a service call (session style; the bearer token too with the `oauth2` dialect). */
  pExpireSession: probability.optional(),
  /** Fixed delay before every answer. */
  latencyMs: millis.optional(),
});
export type SimFaults = z.infer<typeof SimFaultsSchema>;

/** Service names used as keys of {@link SimStats.calls}. */
export type SimService = 'login' | 'token' | 'DongBoHoSoMC' | 'CapNhatTienDoHoSoMC' | 'TraCuuHoSo' | 'reporting' | 'unknown';

/** What the simulator did with one call. */
export type SimOutcome =
  | 'ok'
  | 'exists'
  | 'rejected'
  | 'not_found'
  | 'bad_credentials'
  | 'invalid_session'
  | 'expired_session'
  | 'fault_503'
  | 'fault_429'
  | 'fault_hang'
  | 'fault_reset'
  | 'fault_lost_ack'
  | 'busy'
  | 'invalid_token'
  | 'expired_token';

export interface SimStats {
  /** Every call that reached a route. */
  total: number;
  /** `calls[service][outcome]` = count. */
  calls: Partial<Record<SimService, Partial<Record<SimOutcome, number>>>>;
  /** Dossiers stored now. */
  dossiers: number;
  /** Distinct progress items stored now. */
  progressItems: number;
}

/** One dossier as the simulated portal holds it. */
export interface SimDossier {
  code: string;
  /** Unit code (madonvi / MaDinhDanhDV) of the latest accepted push. */
  unitCode: string;
  /** The latest accepted record, exactly as received. */
  record: PortalDossier;
  /** Accepted DongBoHoSoMC calls for this code. */
  pushes: number;
  /** isUpdating of every DongBoHoSoMC call that named this code, in order (rejected "False" included). */
  isUpdatingSeen: Array<'True' | 'False'>;
  /** Distinct progress items in arrival order (an identical item sent twice is kept once). */
  progress: PortalProgress[];
}

export interface PortalSimOptions {
  faults?: SimFaults;
  /** Seed of the fault RNG; same seed and call order → same faults. */
  seed?: number;
  username?: string;
  password?: string;
  /** When set, calls naming another unit are refused; otherwise any non-empty unit is accepted. */
  unitCode?: string;
  sessionPaths?: { login: string; service: string };
  barePaths?: { insert: string; update: string; progress: string; lookup: string };
  /** Real-portal behaviours to switch on (see dialects.ts); none = contract-strict. */
  dialect?: SimDialect[];
  /** Dossiers the portal holds from the start (migration from an older connector), all under `unitCode` or "preloaded". */
  preload?: PortalDossier[];
  /** `oauth2` dialect: client credentials and token lifetime (default lienthong / client-secret / 60 s). */
  clientId?: string;
  clientSecret?: string;
  tokenTtlSeconds?: number;
  /** `busy-200` dialect: every n-th push is answered "-1" busy (default 3). */
  busyEvery?: number;
}

export interface StartPortalSimOptions extends PortalSimOptions {
  /** 0 = any free port. */
  port?: number;
  /** Default 127.0.0.1: the simulator is for loopback use. */
  host?: string;
}

/** Controls shared by the in-process app and the started server. */
export interface PortalSimControl {
  setFaults(f: SimFaults): void;
  stats(): SimStats;
  dossier(code: string): SimDossier | undefined;
  dossiers(): IterableIterator<SimDossier>;
  /** Forgets dossiers, sessions and statistics (issued sessions become unknown → HTTP 401). */
  reset(): void;
  /** Marks every issued session and OAuth2 token expired (→ `error_code "-1"` "Phiên làm việc …", HTTP 401 for a token). */
  expireSessions(): void;
  /** Drops a stored dossier, as a portal that lost an acknowledged record (reconcile tests). Returns whether it was held. */
  forget(code: string): boolean;
  /** Overwrites fields of a stored record, as a portal holding an older status or dates (reconcile tests). */
  patch(code: string, fields: Partial<PortalDossier>): boolean;
}

export interface PortalSim extends PortalSimControl {
  url: string;
  port: number;
  close(): Promise<void>;
}
