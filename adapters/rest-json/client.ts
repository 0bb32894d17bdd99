/**
 * Declared auth for REST/JSON sources: none, Basic, bearer token, API key (header or query),
 * login-then-session (POST a login body, read a token from the answer, send it on every call;
 * log in again once when a call answers 401/403), or OAuth2 client credentials (src/sdk/oauth2.ts:
 * token cached until shortly before `expires_in`, fetched again once on a 401).
 */
import { createHash } from 'node:crypto';
import { ConfigError, UpstreamSchemaError } from '../../src/sdk/index.ts';
import { createHttpClient, SourceAuthError, type HttpAnswer, type HttpClient, type HttpRequest } from '../../src/sdk/http.ts';
import { getPath } from '../../src/sdk/mapping/paths.ts';
import { createTokenCache, type TokenCache } from '../../src/sdk/oauth2.ts';
import { fillTemplate, jsonEscape, plainPath } from '../../src/sdk/index.ts';
import type { RestAuth, RestJsonOptions } from './config.ts';

export { fillTemplate, jsonEscape, plainPath };

/** The secret an auth needs, resolved by the pipeline; a ConfigError naming only its variable. */
function need(value: string | undefined, env: string | undefined, what: string): string {
  if (value !== undefined) return value;
  throw new ConfigError(`the ${what} is not available: set ${what}Env to the environment variable holding it${env ? ` (${env} is not set)` : ''}`);
}

/** The secrets the options hold (for redaction). */
export interface RestSecrets {
  password?: string | undefined;
  passwordEnv?: string | undefined;
  token?: string | undefined;
  tokenEnv?: string | undefined;
  apiKey?: string | undefined;
  apiKeyEnv?: string | undefined;
  clientSecret?: string | undefined;
  clientSecretEnv?: string | undefined;
}

/** Every secret value of the options, with the Basic `user:password` form. */
export function secretsOf(auth: RestAuth, s: RestSecrets): string[] {
  const out = [s.password, s.token, s.apiKey, s.clientSecret].filter((v): v is string => typeof v === 'string' && v !== '');
  if ((auth.type === 'basic' || auth.type === 'session') && s.password) out.push(`${auth.username}:${s.password}`);
  return out;
}

export interface RestClient {
  /** One authenticated call (query and headers from the options plus `extra`). */
  call(req: HttpRequest): Promise<HttpAnswer>;
  close(): Promise<void>;
}

export interface RestClientOptions extends RestSecrets {
  baseUrl: string;
  auth: RestAuth;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  timeoutMs: number;
  retry: RestJsonOptions['retry'];
}

/**
 * OAuth2 token caches shared by the clients of one process (the pull and the acknowledgements of
 * a run use one token), keyed by endpoint, client, scope and a hash of the secret. Bounded.
 */
const tokenCaches = new Map<string, TokenCache>();
const MAX_TOKEN_CACHES = 64;

function tokenCacheFor(tokenUrl: string, clientId: string, clientSecret: string, scope: string | undefined, timeoutMs: number, name: string): TokenCache {
  const key = createHash('sha256').update(JSON.stringify([tokenUrl, clientId, scope ?? null, clientSecret])).digest('hex');
  let cache = tokenCaches.get(key);
  if (!cache) {
    if (tokenCaches.size >= MAX_TOKEN_CACHES) {
      const [oldest, old] = tokenCaches.entries().next().value as [string, TokenCache];
      tokenCaches.delete(oldest);
      void old.close();
    }
    cache = createTokenCache({ tokenUrl, clientId, clientSecret, scope }, { name, timeoutMs: Math.min(timeoutMs, 30_000) });
    tokenCaches.set(key, cache);
  }
  return cache;
}

export function createRestClient(options: RestClientOptions, name = 'rest-json'): RestClient {
  const auth = options.auth;
  const secrets = secretsOf(auth, options);
  const http: HttpClient = createHttpClient({ baseUrl: options.baseUrl, name, timeoutMs: options.timeoutMs, retry: options.retry, secrets });
  let sessionToken: string | null = null;
  let oauth: TokenCache | null = null;
  const oauthCache = (): TokenCache => {
    if (auth.type !== 'oauth2-client-credentials') throw new Error('not an oauth2 auth');
    if (!oauth) {
      if (options.clientSecret === undefined) {
        throw new ConfigError(`the clientSecret is not available: set clientSecretEnv (beside auth) to the environment variable holding it${options.clientSecretEnv ? ` (${options.clientSecretEnv} is not set)` : ''}`);
      }
      oauth = tokenCacheFor(http.urlOf(auth.tokenUrl), auth.clientId, options.clientSecret, auth.scope, options.timeoutMs, name);
    }
    return oauth;
  };

  async function login(signal?: AbortSignal): Promise<string> {
    if (auth.type !== 'session') throw new Error('not a session auth');
    const password = need(options.password, options.passwordEnv, 'password');
    const body = fillTemplate(auth.loginBody, { username: auth.username, password }, jsonEscape);
    const answer = await http.send({ method: 'POST', url: auth.loginPath, headers: { 'content-type': 'application/json', accept: 'application/json' }, body, signal });
    let token: unknown;
    try {
      token = getPath(JSON.parse(answer.text), plainPath(auth.tokenPath));
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || token === '') {
      throw new SourceAuthError(`${name}: the login answer has no token at "${auth.tokenPath}" (check the credentials and auth.tokenPath)`);
    }
    secrets.push(token);
    return token;
  }

  async function authHeaders(signal?: AbortSignal): Promise<{ headers: Record<string, string>; query: Record<string, string> }> {
    switch (auth.type) {
      case 'basic':
        return { headers: { authorization: `Basic ${Buffer.from(`${auth.username}:${need(options.password, options.passwordEnv, 'password')}`).toString('base64')}` }, query: {} };
      case 'bearer':
        return { headers: { authorization: `Bearer ${need(options.token, options.tokenEnv, 'token')}` }, query: {} };
      case 'apiKey': {
        const value = need(options.apiKey, options.apiKeyEnv, 'apiKey');
        return auth.in === 'header' ? { headers: { [auth.name]: value }, query: {} } : { headers: {}, query: { [auth.name]: value } };
      }
      case 'session':
        sessionToken ??= await login(signal);
        return { headers: { [auth.header]: `${auth.prefix}${sessionToken}` }, query: {} };
      case 'oauth2-client-credentials': {
        const cache = oauthCache();
        const value = await cache.authorization(signal);
        for (const t of cache.secrets()) if (!secrets.includes(t)) secrets.push(t);
        return { headers: { authorization: value }, query: {} };
      }
      default:
        return { headers: {}, query: {} };
    }
  }

  async function call(req: HttpRequest): Promise<HttpAnswer> {
    const attempt = async () => {
      const a = await authHeaders(req.signal);
      return http.send({ ...req, headers: { ...options.headers, ...req.headers, ...a.headers }, query: { ...options.query, ...req.query, ...a.query } });
    };
    try {
      return await attempt();
    } catch (e) {
      if (!(e instanceof SourceAuthError)) throw e;
      if (auth.type === 'oauth2-client-credentials' && oauth !== null && e.status === 401) {
        oauth.invalidate(); // the token expired early or was revoked: fetch a new one, once
        return attempt();
      }
      if (auth.type !== 'session' || sessionToken === null) throw e;
      sessionToken = null; // the session expired: log in again, once
      return attempt();
    }
  }

  return { call, close: () => http.close() };
}

/** Parses an answer's JSON, naming the call when it is not JSON. */
export function jsonOf(answer: HttpAnswer, name: string): unknown {
  try {
    return JSON.parse(answer.text) as unknown;
  } catch (e) {
    throw new UpstreamSchemaError(`${name} ${new URL(answer.url).pathname}: the answer is not JSON (${(e as Error).message})`, { retryable: false });
  }
}
