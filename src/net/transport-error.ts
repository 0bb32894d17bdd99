/**
 * What `fetch` (or reading a body) threw, as a GatewayError, for sources and portals alike:
 * a timeout (ours or undici's) is an {@link UpstreamTimeoutError}, an abort by the caller is
 * `aborted`, anything else is a retryable {@link UpstreamNetworkError} naming the socket code.
 */
import { GatewayError, UpstreamNetworkError, type GatewayErrorOptions } from '../errors.ts';

/** The peer did not answer within the timeout. Retryable: the call may not have run. */
export class UpstreamTimeoutError extends GatewayError {
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super('upstream_timeout', message, { retryable: true, ...options });
  }
}

/** undici's own timeouts (connect, headers, body) and the socket's. */
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

/** Error names and codes along a `cause` chain (fetch wraps the socket error: TypeError → cause). */
function causeChain(err: unknown): { names: string[]; codes: string[] } {
  const names: string[] = [];
  const codes: string[] = [];
  let cur: unknown = err;
  for (let depth = 0; cur && typeof cur === 'object' && depth < 5; depth += 1) {
    const e = cur as { name?: unknown; code?: unknown; cause?: unknown };
    if (typeof e.name === 'string') names.push(e.name);
    if (typeof e.code === 'string') codes.push(e.code);
    cur = e.cause;
  }
  return { names, codes };
}

/**
 * Maps what fetch threw to a GatewayError; `what` names the call (`opencps GET h/dossiers`,
 * `dvcqg DongBoHoSoMC`). `timeout` makes the timeout error (a source's own subclass).
 *
 * @example
 * transportError(new DOMException('timed out', 'TimeoutError'), 'dvcqg login', 5000).message; // 'dvcqg login: no answer within 5000 ms'
 */
export function transportError(
  err: unknown,
  what: string,
  timeoutMs: number,
  timeout: (message: string, options: GatewayErrorOptions) => GatewayError = (m, o) => new UpstreamTimeoutError(m, o),
): GatewayError {
  if (err instanceof GatewayError) return err;
  const { names, codes } = causeChain(err);
  if (names.includes('TimeoutError') || codes.some((c) => TIMEOUT_CODES.has(c) || /TIMEOUT/.test(c))) return timeout(`${what}: no answer within ${timeoutMs} ms`, { cause: err });
  if (names.includes('AbortError')) return new GatewayError('aborted', `${what}: aborted`, { cause: err });
  const code = codes.at(-1) ?? (err instanceof Error ? err.message : String(err));
  return new UpstreamNetworkError(`${what}: connection failed (${code})`, { cause: err });
}
