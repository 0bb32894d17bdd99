/**
 * Values PostgreSQL refuses (a NUL in text or jsonb, a lone UTF-16 surrogate) stop one record, never
 * a page or a run: the record is quarantined with an issue naming its field; a message (run error,
 * portal answer) keeps them escaped; a run always ends with a status. On PGlite, and on PostgreSQL
 * with DATABASE_URL.
 */
import { sql } from 'drizzle-orm';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { fakeSoap, SOAP_OPTIONS, SOAP_PASSWORD, SOAP_RECORDS, soapFixture, soapPage } from '../../adapters/soap-xml/fake-soap.ts';
import { parseConfig } from '../../src/config.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { useFakeSource } from '../support/fake-source.ts';

const PORTAL = 'http://portal-nul.test';
const NUL = '\u0000';
const LONE = '\ud800';
const portalState = { message: '' };
const fake = fakeSoap();
const e2e = useFakeSource(
  fake.handler,
  http.post(`${PORTAL}/auth`, () => HttpResponse.json({ error_code: 0, message: 'ok', session: 'phien-1' })),
  http.post(`${PORTAL}/service`, () => HttpResponse.json({ error_code: -1, message: portalState.message })),
);

interface QuarantineRow {
  record_key: string;
  location: string;
  raw: Record<string, unknown>;
  issues: { path: string; message: string }[];
}

describe('values PostgreSQL refuses', () => {
  it('quarantines only the records holding a NUL or a lone surrogate, naming the field; the rest of the page is stored', async () => {
    const spine = await e2e.startSpine({ count: 5, seed: 21 });
    const [a, b, c, d, e] = spine.records as unknown as Record<string, unknown>[];
    await spine.writeExport('0001.ndjson', [
      a,
      { ...b, ChuHoSo: `Nguyễn${NUL} Văn B` },
      c,
      { ...d, TrichYeuHoSo: `Cấp phép ${LONE}xây dựng`, TaiLieuNop: [{ ...(d!['TaiLieuNop'] as Record<string, unknown>[])[0], TenTepDinhKem: `to${NUL}khai.pdf` }] },
      e,
    ]);
    const config = parseConfig({ ...spine.config, targets: [] });
    const summary = await runSync(spine.ledger, config, { env: spine.env });
    expect(summary.sources).toEqual([{ id: 'local', pulled: 5, new: 3, changed: 0, unchanged: 0, quarantined: 2 }]);
    const stored = await spine.ledger.rows<{ code: string }>(sql`select code from dossiers order by code`);
    expect(stored.map((r) => r.code)).toEqual([a!['MaHoSo'], c!['MaHoSo'], e!['MaHoSo']].sort());

    const q = await spine.ledger.rows<QuarantineRow>(sql`select record_key, location, raw, issues from quarantine order by location`);
    expect(q.map((r) => r.record_key)).toEqual([b!['MaHoSo'], d!['MaHoSo']]);
    expect(q[0]!.issues).toEqual([{ path: 'ChuHoSo', code: 'unstorable_text', message: expect.stringMatching(/NUL \(U\+0000\).*PostgreSQL/) }]);
    expect(q[0]!.issues[0]!.message).toContain(String(b!['MaHoSo']));
    expect(q[1]!.issues.map((i) => i.path)).toEqual(['TrichYeuHoSo', 'TaiLieuNop[0].TenTepDinhKem']);
    expect(q[1]!.issues[0]!.message).toMatch(/lone UTF-16 surrogate \(U\+D800\)/);
    // The quarantined copy keeps the record readable, each refused character shown by a visible stand-in.
    expect(q[0]!.raw['ChuHoSo']).toBe('Nguyễn\u2400 Văn B');
    expect(q[1]!.raw['TrichYeuHoSo']).toBe('Cấp phép \ufffdxây dựng');

    const [run] = await spine.ledger.rows<{ status: string; finished_at: unknown }>(sql`select status, finished_at from runs`);
    expect(run).toMatchObject({ status: 'attention' });
    expect(run!.finished_at).not.toBeNull();

    // The next run: b still holds its NUL and stays quarantined; d, mended at the source, is stored.
    await spine.writeExport('0001.ndjson', [a, { ...b, ChuHoSo: `Nguyễn${NUL} Văn B` }, c, d, e]);
    const again = await runSync(spine.ledger, config, { env: spine.env });
    expect(again.sources).toEqual([{ id: 'local', pulled: 5, new: 1, changed: 0, unchanged: 3, quarantined: 1 }]);
    const open = await spine.ledger.rows<{ record_key: string }>(sql`select record_key from quarantine where resolved_at is null`);
    expect(open).toEqual([{ record_key: b!['MaHoSo'] }]);
  });

  it('stores the other records of a SOAP page whose record holds a NUL, and the run ends', async () => {
    const spine = await e2e.startSpine({ count: 1 });
    const [first, second, third] = SOAP_RECORDS;
    fake.state.next = soapPage([first!, second!.replace('<TrichYeu>', `<TrichYeu>${NUL}`), third!], 3);
    const { password: _p, ...options } = SOAP_OPTIONS;
    const config = parseConfig({ ...spine.config, targets: [], sources: [{ id: 'soap-nul', adapter: 'soap-xml', pageSize: 5, options: { ...options, passwordEnv: 'SOAP_NUL_PASSWORD' } }] });
    const summary = await runSync(spine.ledger, config, { env: { ...spine.env, SOAP_NUL_PASSWORD: SOAP_PASSWORD } });
    expect(summary.sources[0]).toMatchObject({ id: 'soap-nul', new: 2, quarantined: 1 });
    expect(summary.sources[0]?.error).toBeUndefined();
    const q = await spine.ledger.rows<QuarantineRow>(sql`select record_key, location, raw, issues from quarantine`);
    expect(q).toHaveLength(1);
    expect(q[0]!.issues[0]?.message).toMatch(/NUL/);
    const runs = await spine.ledger.rows<{ status: string }>(sql`select status from runs`);
    expect(runs).toEqual([{ status: 'attention' }]);
  });

  it('ends the run when a SOAP fault message holds a NUL, with the error escaped in its summary', async () => {
    const spine = await e2e.startSpine({ count: 1 });
    fake.state.faults.push({ status: 500, body: soapFixture('fault.xml').replace(/<faultstring>[^<]*</, `<faultstring>Lỗi${NUL}máy chủ ${LONE}<`) });
    const { password: _p, ...options } = SOAP_OPTIONS;
    const config = parseConfig({ ...spine.config, targets: [], sources: [{ id: 'soap-fault', adapter: 'soap-xml', pageSize: 5, options: { ...options, passwordEnv: 'SOAP_NUL_PASSWORD', retry: { ...options.retry, maxAttempts: 1 } } }] });
    const summary = await runSync(spine.ledger, config, { env: { ...spine.env, SOAP_NUL_PASSWORD: SOAP_PASSWORD } });
    expect(summary.sources[0]?.error).toBeDefined();
    const [run] = await spine.ledger.rows<{ status: string; summary: { sources: { error?: string }[] } }>(sql`select status, summary from runs`);
    expect(run?.status).toBe('attention');
    expect(run?.summary.sources[0]?.error).toContain('Lỗi\u2400máy chủ \ufffd');
  });

  it('ends a run that stops on an error with the status failed, never running', async () => {
    const spine = await e2e.startSpine({ count: 1 });
    const config = { ...spine.config, sources: [{ ...spine.config.sources[0]!, adapter: 'no-such-adapter' }] };
    await expect(runSync(spine.ledger, config, { env: spine.env })).rejects.toThrow(/unknown adapter/);
    const runs = await spine.ledger.rows<{ status: string; exit_code: number; summary: { error: string } }>(sql`select status, exit_code, summary from runs`);
    expect(runs).toEqual([{ status: 'failed', exit_code: 1, summary: expect.objectContaining({ error: expect.stringMatching(/unknown adapter "no-such-adapter"/) }) }]);
  });

  it('ends the run when a portal answer holds a NUL: the delivery is dead with the message escaped, its receipt kept', async () => {
    portalState.message = `Dữ liệu${NUL} không hợp lệ ${LONE}`;
    const spine = await e2e.startSpine({ count: 2, target: { baseUrl: PORTAL, retry: { maxAttempts: 1, minDelayMs: 1, maxDelayMs: 1 } } });
    const summary = await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(summary.targets[0]).toMatchObject({ delivered: 0, dead: 2 });
    const [run] = await spine.ledger.rows<{ status: string }>(sql`select status from runs`);
    expect(run?.status).toBe('attention');
    const dead = await spine.ledger.rows<{ status: string; last_error: string }>(sql`select status, last_error from deliveries`);
    expect(dead).toHaveLength(2);
    for (const row of dead) {
      expect(row.status).toBe('dead');
      expect(row.last_error).toContain('Dữ liệu\u2400 không hợp lệ \ufffd');
    }
    const receipts = await spine.ledger.rows<{ message: string }>(sql`select message from receipts where service = 'DongBoHoSoMC'`);
    expect(receipts).toHaveLength(2);
    expect(receipts[0]?.message).toBe('Dữ liệu\u2400 không hợp lệ \ufffd');
  });
});
