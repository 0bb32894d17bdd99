/**
 * rest-json against a fake iGate-style API (local node http server): OAuth2 client credentials
 * (form POST, token cached, fetched again once on a 401) and the acknowledge call per stored record,
 * made only once the record is in the ledger; a failed acknowledgement warns and is made again later.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../schemas/config.ts';
import { ingestSource } from '../../src/pipeline/ingest.ts';
import type { AnyAdapter } from '../../src/sdk/index.ts';
import { sendJson, startLocalServer, type LocalServer } from '../../test/support/http-server.ts';
import { openTestLedger, type TestLedger } from '../../test/support/ledger.ts';
import { restJsonAdapter } from './index.ts';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const ALL: Record<string, unknown>[] = [fixture('page-1.json'), fixture('page-2.json')]
  .flatMap((p) => (p as { ketQua: { danhSach: Record<string, unknown>[] } }).ketQua.danhSach)
  .map((r, i) => ({ ...r, _id: `65a1f0c2${String(i).padStart(4, '0')}` }));
const CODES = ALL.map((r) => r['soHoSo'] as string);
const SECRET = 'iGate-Cl1ent-S3cret';
const adapter: AnyAdapter = restJsonAdapter;

let server: LocalServer;
let base = '';
let ledger: TestLedger;
const state = {
  tokens: 0,
  /** Tokens the API accepts (a revoked one answers 401). */
  valid: new Set<string>(),
  forms: [] as URLSearchParams[],
  acks: [] as { body: Record<string, unknown>; storedBefore: boolean; auth: string | undefined }[],
  failAck: new Set<string>(),
};

beforeAll(async () => {
  server = await startLocalServer(async (req, body, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, v: unknown) => sendJson(res, status, v);
    if (url.pathname === '/connector/v1/token') {
      const form = new URLSearchParams(body);
      state.forms.push(form);
      if (form.get('client_secret') !== SECRET) return json(401, { error: 'invalid_client' });
      const token = `tok-${++state.tokens}`;
      state.valid.add(token);
      return json(200, { access_token: token, token_type: 'bearer', expires_in: 3600 });
    }
    const auth = req.headers.authorization;
    if (!auth || !state.valid.has(auth.replace(/^Bearer /, ''))) return json(401, { message: 'token expired' });
    if (url.pathname === '/api/hoso') return json(200, { data: ALL });
    if (url.pathname === '/api/xacnhantrangthainhan') {
      const b = JSON.parse(body) as Record<string, unknown>;
      const rows = await ledger.rows<{ n: number }>(sql`select count(*)::int as n from dossiers where code = ${String(b['maHoSo'])}`);
      state.acks.push({ body: b, storedBefore: rows[0]?.n === 1, auth });
      if (state.failAck.has(String(b['maHoSo']))) return json(500, { message: 'busy' });
      return json(200, { code: 0 });
    }
    return json(404, {});
  });
  base = server.base;
});
afterAll(() => server.close());
beforeEach(async () => {
  ledger = await openTestLedger();
  Object.assign(state, { tokens: 0, valid: new Set(), forms: [], acks: [], failAck: new Set() });
});
afterEach(() => ledger.close());

function source(extra: Record<string, unknown> = {}): SourceConfig {
  return {
    id: 'igate',
    adapter: 'rest-json',
    units: [],
    pageSize: 2,
    options: {
      baseUrl: `${base}/api`,
      path: 'hoso',
      recordsPath: 'data',
      mapping: fixture('mapping.json'),
      auth: { type: 'oauth2-client-credentials', tokenUrl: `${base}/connector/v1/token`, clientId: 'lienthong-tinh', scope: 'hoso' },
      clientSecretEnv: 'IGATE_SECRET',
      retry: { maxAttempts: 1, minDelayMs: 0, maxDelayMs: 0 },
      acknowledge: { method: 'POST', path: 'xacnhantrangthainhan', idPath: '_id', body: { id: '{id}', maHoSo: '{code}', ghiChu: 'đã nhận {code}', trangThai: 1 } },
      ...extra,
    },
  } as SourceConfig;
}
const env = { IGATE_SECRET: SECRET };

describe('rest-json OAuth2 client credentials and acknowledge', () => {
  it('fetches one token with a form POST, pulls, and acknowledges each record after it is stored', async () => {
    const summary = await ingestSource(ledger, source(), adapter, { runId: null, targetIds: ['national'], env });
    expect(summary).toMatchObject({ pulled: 3, new: 3, quarantined: 0, acknowledged: 3 });
    expect(summary.warnings).toBeUndefined();
    expect(state.forms).toHaveLength(1);
    expect(Object.fromEntries(state.forms[0]!)).toEqual({ grant_type: 'client_credentials', client_id: 'lienthong-tinh', client_secret: SECRET, scope: 'hoso' });
    expect(state.acks.map((a) => a.body)).toEqual(ALL.map((r) => ({ id: r['_id'], maHoSo: r['soHoSo'], ghiChu: `đã nhận ${r['soHoSo'] as string}`, trangThai: 1 })));
    expect(state.acks.every((a) => a.storedBefore && a.auth === 'Bearer tok-1')).toBe(true);
    // Neither the secret nor the token is stored anywhere the ledger keeps text.
    const stored = await ledger.rows<{ t: string }>(sql`select coalesce(string_agg(raw, ' '), '') || (select coalesce(string_agg(cursor::text, ' '), '') from source_cursors) as t from dossiers`);
    expect(stored[0]?.t).toContain(CODES[0]);
    expect(stored[0]?.t).not.toContain(SECRET);
    expect(stored[0]?.t).not.toContain('tok-1');
  });

  it('fetches a new token once when the API answers 401 to a cached one', async () => {
    await ingestSource(ledger, source({ acknowledge: undefined }), adapter, { runId: null, targetIds: [], env });
    expect(state.tokens).toBe(1);
    state.valid.clear(); // the server revoked tok-1; the client still holds it in its cache
    const summary = await ingestSource(ledger, source({ acknowledge: undefined }), adapter, { runId: null, targetIds: [], env });
    expect(summary).toMatchObject({ pulled: 3, unchanged: 3 });
    expect(state.tokens).toBe(2);
    expect(summary.acknowledged).toBeUndefined();
  });

  it('a failed acknowledgement is a warning naming the record; the run goes on and a later run acknowledges it', async () => {
    state.failAck.add(CODES[1]!);
    const first = await ingestSource(ledger, source(), adapter, { runId: null, targetIds: ['national'], env });
    expect(first).toMatchObject({ pulled: 3, new: 3, acknowledged: 2, unacknowledged: 1 });
    expect(first.warnings).toHaveLength(1);
    expect(first.warnings?.[0]).toContain(`acknowledge ${CODES[1]!}`);
    expect(first.warnings?.[0]).toMatch(/HTTP 500/);
    expect(first.warnings?.[0]).not.toContain(SECRET);
    state.failAck.clear();
    state.acks.length = 0;
    const second = await ingestSource(ledger, source(), adapter, { runId: null, targetIds: ['national'], env });
    expect(second).toMatchObject({ pulled: 3, unchanged: 3, acknowledged: 3 });
    expect(state.acks.map((a) => a.body['maHoSo'])).toContain(CODES[1]);
  });

  it('a wrong secret is a configuration error that never quotes it', async () => {
    const e = (await ingestSource(ledger, source(), adapter, { runId: null, targetIds: [], env: { IGATE_SECRET: 'wrong-secret-value' } }).catch((x: unknown) => x)) as Error;
    expect(e.message).toMatch(/HTTP 401/);
    expect(e.message).not.toContain('wrong-secret-value');
  });

  it('clientSecretEnv inside auth is named with where it belongs', () => {
    const r = restJsonAdapter.configSchema.safeParse({ baseUrl: base || 'http://x', auth: { type: 'oauth2-client-credentials', tokenUrl: '/t', clientId: 'c', clientSecretEnv: 'IGATE_SECRET' } });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain('at the top of options');
  });
});
