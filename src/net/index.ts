/**
 * The gateway's one HTTP layer, under both the sources' client (src/sdk/http.ts) and the portals'
 * transport (src/portal/transport.ts): Retry-After, status reading, the retry policy, transport
 * errors, bounded bodies, the connection pool, credential caching, snippets and every limit.
 */
export { readBodyWithin, readBytesWithin } from './body.ts';
export { createCredentialCache, type CredentialCache, type Held } from './credential-cache.ts';
export * from './limits.ts';
export { createPool, dispatcherOf } from './pool.ts';
export { parseHttpDate, parseRetryAfterMs, RETRY_AFTER_CEILING_MS } from './retry-after.ts';
export { backoffMs, extraWaitMs, withRetries, type RetryPolicy } from './retry.ts';
export { snippet } from './snippet.ts';
export { isRetryableStatus, statusRetry } from './status.ts';
export { transportError, UpstreamTimeoutError } from './transport-error.ts';
