/**
 * The connection pool of one peer (a source, a portal target): an undici `Agent` with keep-alive,
 * given to the global `fetch` as its dispatcher (msw intercepts exactly that; `undici.fetch` would
 * bypass it in tests). Its header and body timeouts are backstops to the per-call AbortSignal.
 */
import { Agent } from 'undici';
import { KEEP_ALIVE_MS } from './limits.ts';

/** A pool of at most `connections` keep-alive connections; a stalled header or body ends after `timeoutMs`. */
export function createPool(connections: number, timeoutMs: number): Agent {
  return new Agent({ connections, keepAliveTimeout: KEEP_ALIVE_MS, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
}

/** The pool as the global fetch's `dispatcher` (its type is undici's own copy, not the one bundled with Node). */
export function dispatcherOf(pool: Agent): NonNullable<RequestInit['dispatcher']> {
  return pool as unknown as NonNullable<RequestInit['dispatcher']>;
}
