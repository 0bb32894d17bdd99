/**
 * OAuth2 client credentials (RFC 6749 §4.4) for any HTTP client of the gateway: a form-encoded
 * `grant_type=client_credentials` POST, the `{access_token, token_type, expires_in}` answer read
 * within a size and time bound (src/sdk/http.ts), and a token cache that keeps the token until
 * shortly before it expires (30 s or 10 % of its life, whichever is shorter), fetches it once for
 * concurrent callers, and is told to forget it on a 401. The client secret and every token are
 * redacted from every message; neither is ever returned in an error.
 */
import { createCredentialCache, DEFAULT_TOKEN_TIMEOUT_MS, type Held, MAX_TOKEN_ANSWER_BYTES } from '../net/index.ts';
import { createHttpClient, SourceAuthError, type HttpRetry } from './http.ts';
import { redactText } from './redact.ts';

export interface ClientCredentials {
  /** Absolute URL of the token endpoint. */
  tokenUrl: string;
  clientId: string;
  /** The secret itself (resolved from the environment by the caller). */
  clientSecret: string;
  scope?: string | undefined;
}

export interface OAuth2Token {
  accessToken: string;
  /** `Bearer` unless the server says otherwise. */
  tokenType: string;
  /** When the cache stops using it (ms since epoch): `expires_in` minus the margin. */
  refreshAt: number;
}

/** A token answer larger than this is refused (src/net/limits.ts). */
export { MAX_TOKEN_ANSWER_BYTES };
/** Without `expires_in` a token is kept this long (or until a 401). */
export const DEFAULT_TOKEN_LIFETIME_S = 300;

/** The form body of the token request. */
export function tokenRequestBody(c: ClientCredentials): string {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret });
  if (c.scope) form.set('scope', c.scope);
  return form.toString();
}

/** Seconds of a token's life not used: 30 s, or 10 % of a shorter life. */
export function refreshMarginMs(expiresInS: number): number {
  return Math.min(30_000, expiresInS * 100);
}

/**
 * Reads a token answer; a missing or empty `access_token` is a SourceAuthError naming the field
 * (never quoting the answer, which may hold the token).
 */
export function parseTokenAnswer(text: string, now: number, where = 'token endpoint'): OAuth2Token {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SourceAuthError(`${where}: the token answer is not JSON`);
  }
  const o = json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  const token = o['access_token'];
  if (typeof token !== 'string' || token === '') throw new SourceAuthError(`${where}: the token answer has no access_token (check clientId, the client secret and scope)`);
  const type = typeof o['token_type'] === 'string' && o['token_type'] !== '' ? (o['token_type'] as string) : 'Bearer';
  const raw = o['expires_in'];
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  const expiresIn = Number.isFinite(n) && n > 0 ? Math.min(n, 86_400 * 365) : DEFAULT_TOKEN_LIFETIME_S;
  return { accessToken: token, tokenType: /^bearer$/i.test(type) ? 'Bearer' : type, refreshAt: now + expiresIn * 1000 - refreshMarginMs(expiresIn) };
}

export interface TokenCacheOptions {
  /** Who asks, for messages (an adapter or target id). */
  name: string;
  timeoutMs?: number;
  retry?: HttpRetry;
  now?: () => number;
  /** Instead of HTTP (tests, other transports): fetch a token answer's text. */
  fetchText?: (signal?: AbortSignal) => Promise<string>;
}

export interface TokenCache {
  /** A valid token (cached, or fetched now: once for concurrent callers). */
  token(signal?: AbortSignal): Promise<OAuth2Token>;
  /** `Authorization` header value: `Bearer <token>`. */
  authorization(signal?: AbortSignal): Promise<string>;
  /** The server refused the token (401): the next call fetches a new one. */
  invalidate(): void;
  /** The secret and the tokens seen so far, for the caller's redaction. */
  secrets(): readonly string[];
  /** How many tokens were fetched (for tests and metrics). */
  readonly fetched: number;
  close(): Promise<void>;
}

/**
 * @example
 * const cache = createTokenCache({ tokenUrl, clientId: 'lienthong', clientSecret }, { name: 'igate' });
 * headers.authorization = await cache.authorization();
 */
export function createTokenCache(c: ClientCredentials, options: TokenCacheOptions): TokenCache {
  const now = options.now ?? Date.now;
  const secrets: string[] = [c.clientSecret];
  const http = options.fetchText
    ? null
    : createHttpClient({ baseUrl: c.tokenUrl, name: `${options.name} oauth2`, timeoutMs: options.timeoutMs ?? DEFAULT_TOKEN_TIMEOUT_MS, retry: options.retry ?? { maxAttempts: 3, minDelayMs: 500, maxDelayMs: 5_000 }, maxBytes: MAX_TOKEN_ANSWER_BYTES, secrets, connections: 1 });
  async function fetchToken(signal?: AbortSignal): Promise<Held<OAuth2Token>> {
    const where = `${options.name}: ${new URL(c.tokenUrl).host}${new URL(c.tokenUrl).pathname}`;
    try {
      const text = options.fetchText
        ? await options.fetchText(signal)
        : (await http!.send({ method: 'POST', url: c.tokenUrl, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: tokenRequestBody(c), signal })).text;
      const t = parseTokenAnswer(text, now(), where);
      secrets.push(t.accessToken);
      // The client secret and the last four tokens: a long serve renews again and again.
      if (secrets.length > 5) secrets.splice(1, 1);
      return { value: t, until: t.refreshAt };
    } catch (e) {
      if (e instanceof Error) {
        const clean = redactText(e.message, secrets);
        if (clean !== e.message) Object.defineProperty(e, 'message', { value: clean });
      }
      throw e;
    }
  }

  const tokens = createCredentialCache(fetchToken, now);
  return {
    token: (signal) => tokens.get(signal),
    async authorization(signal) {
      const t = await tokens.get(signal);
      return `${t.tokenType} ${t.accessToken}`;
    },
    invalidate() {
      tokens.drop();
    },
    secrets: () => secrets,
    get fetched() {
      return tokens.fetched;
    },
    close: async () => {
      await http?.close();
    },
  };
}
