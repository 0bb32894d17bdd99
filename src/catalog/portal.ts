/**
 * Reads the procedure catalogue from a configured target: the list `LayDanhSachTTHC`
 * (`result[] {MATTHC, TENTTHC}`), then the detail `LayThuTuc` of each procedure (contract §8.2).
 * A session target speaks the portal's envelope (POST `servicePath` with `{session, madonvi,
 * service, maTTHC}` after a login); a bare-array target is a provincial proxy serving plain GETs
 * (`<baseUrl>/LayDanhSachTTHC`, `<baseUrl>/LayThuTuc?maTTHC=`, Thanh Hóa's
 * `…/KetNoiMotCuaQuocGia/…`) with the target's auth (none, bearer, header, OAuth2). Answers are read
 * tolerantly: `error_code` 0/"0"/"00", keys in any case, `result` an array or `{data: [...]}`.
 * Every call is bounded in time and size; secrets are redacted from every message.
 */
import type { TargetConfig } from '../../schemas/config.ts';
import { ConfigError, UpstreamSchemaError } from '../errors.ts';
import { publicMessage } from '../privacy.ts';
import { createHttpClient, type HttpClient } from '../sdk/http.ts';
import { createTokenCache, type TokenCache } from '../sdk/oauth2.ts';
import { MAX_ENTRIES, pick, readPortalProcedure, type CatalogProblem, type ReadEntries } from './entry.ts';

/** Largest list answer and largest detail answer read. */
const MAX_LIST_BYTES = 32 * 2 ** 20;
const MAX_DETAIL_BYTES = 4 * 2 ** 20;
/** Detail calls in flight at once. */
const CONCURRENCY = 4;

export interface PortalCatalogOptions {
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** Read at most this many procedures (default and cap: MAX_ENTRIES). */
  limit?: number;
}

function envOf(env: Record<string, string | undefined>, name: string, what: string, targetId: string): string {
  const v = env[name];
  if (!v) throw new ConfigError(`target "${targetId}": the ${what} is not available (the environment variable ${name} is not set)`);
  return v;
}

/** `result` of a `{error_code, message, result}` answer; a non-zero code is an error with the message. */
export function resultOf(json: unknown, what: string): unknown[] {
  const code = pick(json, 'error_code');
  if (code !== undefined && code !== null && !/^0+$/.test(String(code).trim())) {
    const message = pick(json, 'message');
    throw new UpstreamSchemaError(`${what}: error_code ${String(code).slice(0, 20)}${typeof message === 'string' ? ` (${message.slice(0, 200)})` : ''}`, { retryable: false });
  }
  const result = Array.isArray(json) ? json : pick(json, 'result');
  if (Array.isArray(result)) return result;
  const data = pick(result, 'data');
  if (Array.isArray(data)) return data;
  if (result && typeof result === 'object') return [result];
  throw new UpstreamSchemaError(`${what}: the answer has no result array`, { retryable: false });
}

interface Caller {
  call(service: 'LayDanhSachTTHC' | 'LayThuTuc', params: Record<string, string>, maxBytes: number): Promise<unknown>;
  close(): Promise<void>;
}

function sessionCaller(target: Extract<TargetConfig, { style: 'session' }>, env: Record<string, string | undefined>, signal?: AbortSignal): Caller {
  const password = envOf(env, target.passwordEnv, 'password', target.id);
  const secrets = [password];
  const make = (maxBytes: number) => createHttpClient({ baseUrl: target.baseUrl, name: `catalog ${target.id}`, timeoutMs: target.timeoutMs, retry: target.retry, secrets, maxBytes });
  const clients = new Map<number, HttpClient>();
  const client = (maxBytes: number) => {
    let c = clients.get(maxBytes);
    if (!c) clients.set(maxBytes, (c = make(maxBytes)));
    return c;
  };
  const headers = { 'content-type': 'application/json', accept: 'application/json', charset: 'utf-8', ...(target.dstcode ? { dstcode: target.dstcode } : {}) };
  let session: Promise<string> | null = null;
  const login = async (): Promise<string> => {
    const { json } = await client(64 * 1024).sendJson({ method: 'POST', url: target.loginPath, headers, body: JSON.stringify({ username: target.username, password }), signal });
    const s = pick(json, 'session');
    if (typeof s !== 'string' || s === '') throw new ConfigError(`target "${target.id}": the login answer has no session (check username and ${target.passwordEnv})`);
    secrets.push(s);
    return s;
  };
  return {
    async call(service, params, maxBytes) {
      session ??= login();
      const body = { session: await session, madonvi: target.unitCode, service, ...params };
      const { json } = await client(maxBytes).sendJson({ method: 'POST', url: target.servicePath, headers, body: JSON.stringify(body), signal });
      return json;
    },
    close: async () => {
      await Promise.all([...clients.values()].map((c) => c.close()));
    },
  };
}

function proxyCaller(target: TargetConfig, env: Record<string, string | undefined>, signal?: AbortSignal): Caller {
  const auth = target.auth ?? { type: 'none' as const };
  const secrets: string[] = [];
  let oauth: TokenCache | null = null;
  let fixed: Record<string, string> = {};
  if (auth.type === 'bearer') {
    const token = envOf(env, auth.tokenEnv, 'bearer token', target.id);
    secrets.push(token);
    fixed = { authorization: `Bearer ${token}` };
  } else if (auth.type === 'header') {
    const value = envOf(env, auth.valueEnv, `${auth.name} header`, target.id);
    secrets.push(value);
    fixed = { [auth.name]: value };
  } else if (auth.type === 'oauth2-client-credentials') {
    const clientSecret = envOf(env, auth.clientSecretEnv, 'client secret', target.id);
    secrets.push(clientSecret);
    oauth = createTokenCache({ tokenUrl: auth.tokenUrl, clientId: auth.clientId, clientSecret, scope: auth.scope }, { name: `catalog ${target.id}`, timeoutMs: target.timeoutMs });
  }
  const clients = new Map<number, HttpClient>();
  const client = (maxBytes: number) => {
    let c = clients.get(maxBytes);
    if (!c) clients.set(maxBytes, (c = createHttpClient({ baseUrl: target.baseUrl, name: `catalog ${target.id}`, timeoutMs: target.timeoutMs, retry: target.retry, secrets, maxBytes })));
    return c;
  };
  const headersNow = async (): Promise<Record<string, string>> => {
    if (!oauth) return fixed;
    const value = await oauth.authorization(signal);
    for (const s of oauth.secrets()) if (!secrets.includes(s)) secrets.push(s);
    return { authorization: value };
  };
  return {
    async call(service, params, maxBytes) {
      const send = async () => (await client(maxBytes).sendJson({ method: 'GET', url: service, query: params, headers: { accept: 'application/json', ...(await headersNow()) }, signal })).json;
      try {
        return await send();
      } catch (e) {
        if (!oauth || (e as { status?: number }).status !== 401) throw e;
        oauth.invalidate(); // the token expired early: fetch a new one, once
        return send();
      }
    },
    close: async () => {
      await Promise.all([...clients.values()].map((c) => c.close()));
      await oauth?.close();
    },
  };
}

/** Every procedure the target lists, each read from its detail; bad ones are problems naming the field. */
export async function readPortalCatalog(target: TargetConfig, options: PortalCatalogOptions = {}): Promise<ReadEntries> {
  const env = options.env ?? process.env;
  const caller = target.style === 'session' && (target.auth === undefined || target.auth.type === 'session') ? sessionCaller(target, env, options.signal) : proxyCaller(target, env, options.signal);
  const out: ReadEntries = { entries: [], problems: [] };
  try {
    const list = resultOf(await caller.call('LayDanhSachTTHC', {}, MAX_LIST_BYTES), `target "${target.id}" LayDanhSachTTHC`);
    const limit = Math.min(options.limit ?? MAX_ENTRIES, MAX_ENTRIES);
    const items: { code: string; name: string | null; where: string }[] = [];
    const seen = new Set<string>();
    list.forEach((item, i) => {
      const code = pick(item, 'MATTHC');
      const where = `LayDanhSachTTHC result[${i}]`;
      if (typeof code !== 'string' || code.trim() === '') {
        out.problems.push({ entry: where, field: 'MATTHC', message: 'the list item has no MATTHC' });
        return;
      }
      const c = code.normalize('NFC').trim();
      if (seen.has(c) || items.length >= limit) return;
      seen.add(c);
      const name = pick(item, 'TENTTHC');
      items.push({ code: c, name: typeof name === 'string' && name.trim() ? name.normalize('NFC').trim() : null, where });
    });
    if (list.length > limit) out.problems.push({ entry: '(list)', field: 'result', message: `more than ${limit} procedures listed: the rest were not read` });
    const results: ({ entry: ReadEntries['entries'][number] } | { problem: CatalogProblem })[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const i = next++;
        const item = items[i]!;
        try {
          const detail = resultOf(await caller.call('LayThuTuc', { maTTHC: item.code }, MAX_DETAIL_BYTES), `LayThuTuc ${item.code}`)[0];
          const read = readPortalProcedure(detail ?? { MATTHC: item.code }, item.where, item.name);
          results[i] = 'field' in read ? { problem: read } : { entry: read };
        } catch (e) {
          options.signal?.throwIfAborted();
          if (e instanceof ConfigError) throw e;
          results[i] = { problem: { entry: item.code, field: 'LayThuTuc', message: publicMessage(e) } };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
    for (const r of results) if ('entry' in r) out.entries.push(r.entry);
    else out.problems.push(r.problem);
    return out;
  } finally {
    await caller.close();
  }
}
