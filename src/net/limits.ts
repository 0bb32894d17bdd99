/**
 * Every size and time bound of the gateway's HTTP calls, in one place: what a peer may make the
 * gateway hold, how long a call may take, how long a connection stays open.
 */

/** The most of a source's answer that is read by default (adapters pull pages; `maxBytes` overrides). */
export const MAX_SOURCE_ANSWER_BYTES = 64 * 2 ** 20;
/** The most of a portal's answer that is read: a portal can never make the gateway hold more. */
export const MAX_PORTAL_ANSWER_BYTES = 16 * 2 ** 20;
/** A token answer larger than this is refused (a token answer is a few hundred bytes). */
export const MAX_TOKEN_ANSWER_BYTES = 64 * 1024;

/** A source's call without `timeoutMs`: connecting, the headers and the whole body. */
export const DEFAULT_SOURCE_TIMEOUT_MS = 30_000;
/** A source's token request without `timeoutMs`. */
export const DEFAULT_TOKEN_TIMEOUT_MS = 10_000;
/** How long an idle pooled connection is kept open. */
export const KEEP_ALIVE_MS = 10_000;

/** The longest `Retry-After` a source's retry loop waits: a nightly pull must end. */
export const MAX_RETRY_AFTER_WAIT_MS = 300_000;
