/**
 * Public shapes of the national-portal client.
 */
import type { PortalDossier, PortalProgress } from '../../schemas/portal.ts';

export type PortalExchangeService = 'login' | 'DongBoHoSoMC' | 'CapNhatTienDoHoSoMC' | 'TraCuuHoSo';

export type PortalExchangeOutcome = 'ok' | 'exists' | 'rejected' | 'http_error' | 'network_error' | 'timeout' | 'schema_error';

/**
 * One HTTP exchange with the portal, reported through `onExchange` — successful or not, login
 * included. Never carries the password or the session token.
 */
export interface PortalExchange {
  /** The target's id. */
  target: string;
  service: PortalExchangeService;
  isUpdating?: boolean;
  /**
   * sha256 hex of the exact request body (for the login, of the body with the password replaced
   * by `"***"`, so that a weak password cannot be recovered from the hash).
   */
  requestHash: string;
  httpStatus: number | null;
  errorCode: string | null;
  message: string | null;
  durationMs: number;
  outcome: PortalExchangeOutcome;
  /** The request body as sent, every secret (password, session token) replaced by `***` (evidence: src/evidence). */
  requestBody?: string;
  /** The answer's bytes as received, every secret replaced by `***` (absent when none was read; evidence: src/evidence). */
  answerBody?: Buffer;
  /** When the request was sent (ISO 8601, UTC, the gateway's clock). */
  sentAt?: string;
}

export interface PushResult {
  outcome: 'ok' | 'exists';
  httpStatus: number;
  /** The portal's `error_code` as text ("0", "00", "-3" …; "" when a bare-array portal answered plain text). */
  errorCode: string;
  message: string;
  requestHash: string;
  durationMs: number;
}

export interface LookupResult {
  found: boolean;
  /** The portal's `result` (an array of dossier views), or a note when the target cannot look up. */
  result: unknown;
}

export interface PortalClient {
  /** `DongBoHoSoMC` with ONE dossier. `exists` = the portal already holds it: re-send with isUpdating true. */
  pushDossier(record: PortalDossier, isUpdating: boolean): Promise<PushResult>;
  /** `CapNhatTienDoHoSoMC` with 1–10 items (the caller chunks). */
  pushProgress(items: PortalProgress[]): Promise<PushResult>;
  /** `TraCuuHoSo`: does the portal hold this dossier code? */
  lookup(code: string): Promise<LookupResult>;
  /** Closes pooled connections. */
  close(): Promise<void>;
}

export interface PortalClientOptions {
  /** Where secrets come from (`target.passwordEnv` names the variable). */
  env: Record<string, string | undefined>;
  /** Called after every HTTP exchange; awaited. */
  onExchange?: (e: PortalExchange) => void | Promise<void>;
  /** Replaces the global fetch (tests, instrumentation). */
  fetch?: typeof fetch;
  /** The clock of session and token lifetimes (tests); `Date.now` by default. */
  now?: () => number;
}
