/**
 * The one cache of a credential the gateway fetches from a peer and reuses: a portal's session
 * token (src/portal/session-client.ts), an OAuth2 access token for a portal target
 * (src/portal/auth.ts) or for a source (src/sdk/oauth2.ts).
 *
 * - A held value is used until its `until` instant (ms since the epoch; `Infinity` for no expiry);
 *   how long a credential lives (margins, `sessionTtlSeconds`) is the fetcher's to say.
 * - Concurrent callers share one fetch; a failed fetch is not kept, the next call fetches again.
 * - `drop(used)` forgets the held value only when it is the one the caller used: a concurrent call
 *   may already hold a newer one. `drop()` forgets whatever is held.
 */

/** A fetched credential and the instant (ms since the epoch) it stops being used. */
export interface Held<T> {
  value: T;
  until: number;
}

export interface CredentialCache<T> {
  /** The held value while it is valid; otherwise one fetch for every concurrent caller. */
  get(signal?: AbortSignal): Promise<T>;
  /** The peer refused `used` (or, without an argument, whatever is held): the next `get` fetches anew. */
  drop(used?: T): void;
  /** How many fetches succeeded (for tests and metrics). */
  readonly fetched: number;
}

/**
 * @example
 * const session = createCredentialCache(async () => ({ value: await login(), until: Date.now() + 600_000 }));
 * const token = await session.get();
 * session.drop(token); // the portal said the session expired
 */
export function createCredentialCache<T>(fetch: (signal?: AbortSignal) => Promise<Held<T>>, now: () => number = Date.now): CredentialCache<T> {
  let held: Held<T> | undefined;
  let pending: Promise<T> | undefined;
  let fetched = 0;
  return {
    get(signal) {
      if (held !== undefined && now() < held.until) return Promise.resolve(held.value);
      held = undefined;
      pending ??= fetch(signal)
        .then((h) => {
          fetched++;
          held = h;
          return h.value;
        })
        .finally(() => {
          pending = undefined;
        });
      return pending;
    },
    drop(...used: [T?]) {
      if (held !== undefined && (used.length === 0 || held.value === used[0])) held = undefined;
    },
    get fetched() {
      return fetched;
    },
  };
}
