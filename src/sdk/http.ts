/**
 * Shared HTTP helpers for source adapters: the global `fetch` with an undici `Agent` as dispatcher
 * (msw intercepts exactly that), a timeout per call, HTTP statuses mapped to `GatewayError`s
 * (`retryable`, `retryAfterMs`), 401/403 as a configuration (credentials) error, retries with
 * p-retry that honour `Retry-After`, and redaction of every secret from every message.
 * Raw `Response` objects never leave this file.
 */
import { z } from 'zod';
import { ConfigError, GatewayError, UpstreamHttpError, UpstreamSchemaError, type GatewayErrorOptions } from '../errors.ts';
import { createPool, DEFAULT_SOURCE_TIMEOUT_MS, dispatcherOf, MAX_SOURCE_ANSWER_BYTES, parseRetryAfterMs, readBodyWithin, readBytesWithin, snippet as netSnippet, statusRetry, transportError as netTransportError, UpstreamTimeoutError, withRetries } from '../net/index.ts';
import { maskText } from '../privacy.ts';
import { redactText } from './redact.ts';

/** Retry policy of a source's HTTP calls (adapter options `retry`). */
export const HttpRetrySchema = z.object({
  maxAttempts: z.number().int().min(1).max(20).default(5),
  minDelayMs: z.number().int().min(0).default(500),
  maxDelayMs: z.number().int().min(0).default(30_000),
});
export type HttpRetry = z.infer<typeof HttpRetrySchema>;
export const DEFAULT_HTTP_RETRY: HttpRetry = { maxAttempts: 5, minDelayMs: 500, maxDelayMs: 30_000 };

/** The source refused our credentials (HTTP 401/403, or OpenCPS's 203): fix the configuration. */
export class SourceAuthError extends ConfigError {
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(message, [], options);
  }
}

/** The source did not answer within the timeout (code `upstream_timeout`). Retryable. */
export class SourceTimeoutError extends UpstreamTimeoutError {}

/** `Retry-After` as milliseconds (the gateway's one reader, src/net/retry-after.ts). */
export { parseRetryAfterMs };

/**
 * Replaces every secret (and its Base64 and URL-encoded forms, and a URL's password) by `***`.
 *
 * @example
 * redact('login failed for s3cret', ['s3cret']); // 'login failed for ***'
 */
export const redact = redactText;

/** Shortens a body for an error message (an HTML error page can be large), citizen IDs, phones and e-mails masked. */
export function snippet(text: string, max = 200): string {
  return netSnippet(text, max, maskText);
}

/**
 * The error for a non-2xx answer: 401/403 → {@link SourceAuthError} (not retryable), 5xx, 408 and 429 →
 * retryable with the `retryAfterMs` asked for (src/net/status.ts), any other status → not retryable.
 *
 * @example
 * httpStatusError(429, '2', 'qt-motcua GET /dossiers', '').retryAfterMs; // 2000
 */
export function httpStatusError(status: number, retryAfter: string | null, what: string, body: string): GatewayError {
  const message = `${what} answered HTTP ${status}${body ? `: ${snippet(body)}` : ''}`;
  if (status === 401 || status === 403) return new SourceAuthError(`${message} (check the source's credentials and account rights)`, { status });
  return new UpstreamHttpError(message, { status, ...statusRetry(status, retryAfter) });
}

/** Maps what fetch threw (socket error, timeout, abort) to a GatewayError (src/net/transport-error.ts). */
export function transportError(err: unknown, what: string, timeoutMs: number): GatewayError {
  return netTransportError(err, what, timeoutMs, (m, o) => new SourceTimeoutError(m, o));
}

export interface HttpRequest {
  method?: string;
  /** Absolute URL, or a path joined to the client's base URL. */
  url: string;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal | undefined;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  url: string;
}

export interface HttpClientOptions {
  baseUrl: string;
  /** Who is calling, for messages: the adapter id. */
  name: string;
  timeoutMs?: number;
  retry?: HttpRetry;
  connections?: number;
  /** Values that must never appear in a message (passwords, tokens, keys). */
  secrets?: readonly string[];
  /** An answer body larger than this is refused while it is read (bounded memory; default 64 MiB). */
  maxBytes?: number;
  /** Classifies a non-2xx answer before the default mapping (a vendor's 403 that is no auth problem…). */
  classify?: (status: number, text: string) => GatewayError | undefined;
  /** Judges a 2xx answer (e.g. OpenCPS's 203 = failed login); throw a GatewayError to reject it. */
  judge?: (answer: HttpAnswer) => void;
}

export interface HttpClient {
  /** One call with retries; resolves with a 2xx answer, or throws a (redacted) GatewayError. */
  send(request: HttpRequest): Promise<HttpAnswer>;
  /** `send`, then `JSON.parse` of the body (an unparsable body is an UpstreamSchemaError-like error). */
  sendJson(request: HttpRequest): Promise<{ answer: HttpAnswer; json: unknown }>;
  /** Resolves a path against the base URL with a query string. */
  urlOf(url: string, query?: Record<string, string | number | undefined>): string;
  close(): Promise<void>;
}

/** Base URL + path, keeping the base's own path (`https://h/o/rest/v2` + `dossiers` → `…/o/rest/v2/dossiers`). */
export function joinUrl(base: string, path: string, query?: Record<string, string | number | undefined>): string {
  const url = /^https?:\/\//i.test(path) ? new URL(path) : new URL(path.replace(/^\//, ''), base.endsWith('/') ? base : `${base}/`);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  return url.toString();
}

/** Bounded body readers (src/net/body.ts), kept here for the callers that import them from the SDK. */
export { readBodyWithin, readBytesWithin };

function readBody(res: Response, maxBytes: number, what: string): Promise<string> {
  return readBodyWithin(res, maxBytes, () => new UpstreamSchemaError(`${what}: the answer is larger than ${maxBytes} bytes; ask for smaller pages`));
}

/**
 * An HTTP client for one source: pooled, timed, retried, redacted.
 *
 * @example
 * const http = createHttpClient({ baseUrl: 'https://motcua.example.vn/o/rest/v2', name: 'opencps', secrets: [password] });
 * const { json } = await http.sendJson({ url: 'dossiers', query: { start: 0, end: 50 }, headers: { groupId: '41201' } });
 * await http.close();
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SOURCE_TIMEOUT_MS;
  const retry = options.retry ?? DEFAULT_HTTP_RETRY;
  const secrets = options.secrets ?? [];
  const maxBytes = options.maxBytes ?? MAX_SOURCE_ANSWER_BYTES;
  const agent = createPool(options.connections ?? 4, timeoutMs);
  const clean = (e: GatewayError): GatewayError => {
    const text = redact(e.message, secrets);
    if (text !== e.message) Object.defineProperty(e, 'message', { value: text });
    return e;
  };
  const urlOf = (url: string, query?: Record<string, string | number | undefined>) => joinUrl(options.baseUrl, url, query);

  async function once(req: HttpRequest): Promise<HttpAnswer> {
    const url = urlOf(req.url, req.query);
    const method = req.method ?? 'GET';
    const where = new URL(url);
    const what = `${options.name} ${method} ${where.host}${where.pathname}`;
    const signals = [AbortSignal.timeout(timeoutMs), ...(req.signal ? [req.signal] : [])];
    let answer: HttpAnswer;
    try {
      const res = await fetch(url, {
        method,
        headers: req.headers ?? {},
        ...(req.body === undefined ? {} : { body: req.body }),
        redirect: 'follow',
        dispatcher: dispatcherOf(agent),
        signal: AbortSignal.any(signals),
      } as RequestInit);
      answer = { status: res.status, headers: res.headers, text: await readBody(res, maxBytes, what), url };
    } catch (err) {
      throw clean(transportError(err, what, timeoutMs));
    }
    if (answer.status < 200 || answer.status >= 300) {
      throw clean(options.classify?.(answer.status, answer.text) ?? httpStatusError(answer.status, answer.headers.get('retry-after'), what, answer.text));
    }
    try {
      options.judge?.(answer);
    } catch (err) {
      throw clean(err instanceof GatewayError ? err : new UpstreamHttpError(`${what}: ${(err as Error).message}`, { status: answer.status }));
    }
    return answer;
  }

  async function send(req: HttpRequest): Promise<HttpAnswer> {
    return withRetries(() => once(req), retry, req.signal);
  }

  return {
    send,
    async sendJson(req) {
      const answer = await send({ ...req, headers: { accept: 'application/json', ...req.headers } });
      try {
        return { answer, json: JSON.parse(answer.text) as unknown };
      } catch (e) {
        const where = new URL(answer.url);
        throw clean(new UpstreamSchemaError(`${options.name} ${where.pathname}: the answer is not JSON (${(e as Error).message}): ${snippet(answer.text, 120)}`));
      }
    },
    urlOf,
    close: () => agent.close(),
  };
}
