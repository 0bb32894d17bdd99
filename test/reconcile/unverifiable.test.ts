/**
 * Reconcile never reports "consistent" when it could not compare: look-up answers are read with
 * keys matched case-insensitively (DVCQG sharing answers use UPPER-CASE keys), and a field the
 * answer does not carry, or an answer with no readable record, is `portal_unverifiable`.
 * The portal here is a small HTTP stub on loopback answering TraCuuHoSo like a real proxy.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { TargetConfig } from '../../schemas/config.ts';
import type { PortalDossierWithProgress } from '../../schemas/portal.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { notComparedOf, toCsv, toHtml } from '../../src/reconcile/report-formats.ts';
import { reconcile } from '../../src/reconcile/run.ts';
import { REASON_LABELS_VI } from '../../src/reconcile/types.ts';
import { startSpine, type Spine } from '../support/spine.ts';

let spine: Spine | undefined;
let stub: Server | undefined;
afterEach(async () => {
  await new Promise((r) => (stub ? stub.close(r) : r(null)));
  stub = undefined;
  await spine?.close();
  spine = undefined;
});

const OCTOBER = { from: '2026-10-01', to: '2026-10-31' };
const FIELDS = ['MaHoSo', 'TrangThaiHoSo', 'NgayTiepNhan', 'NgayHenTra', 'NgayKetThucXuLy', 'NgayTra', 'DonViXuLy'] as const;

/** A bare-array proxy whose TraCuuHoSo answers come from `answer(code)`. */
async function startLookupStub(answer: (code: string) => unknown): Promise<string> {
  stub = createServer((req, res) => {
    const code = new URL(req.url ?? '/', 'http://x').searchParams.get('mahoso') ?? '';
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ error_code: '0', message: 'Thành công', result: answer(code) }));
  });
  await new Promise<void>((r) => stub!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
}

describe('reconcile: portal_unverifiable', () => {
  it('reads UPPER-CASE keys, and reports a field the answer lacks or an unreadable answer as not compared, never equal', async () => {
    spine = await startSpine({ count: 8 });
    expect((await runSync(spine.ledger, spine.config, { env: spine.env })).exitCode).toBe(0);
    const [a, b, c, d, e, f] = spine.records as PortalDossierWithProgress[];
    const upper = (code: string, omit: string[] = [], patch: Record<string, string> = {}) => {
      const held = { ...spine!.sim.dossier(code)!.record, ...patch } as Record<string, unknown>;
      return [Object.fromEntries(FIELDS.filter((k) => !omit.includes(k)).map((k) => [k.toUpperCase(), held[k] ?? '']))];
    };
    const otherStatus = b!.TrangThaiHoSo === '4' ? '2' : '4';
    const url = await startLookupStub((code) => {
      if (code === a!.MaHoSo) return upper(code, ['TrangThaiHoSo']);
      if (code === b!.MaHoSo) return upper(code, [], { TrangThaiHoSo: otherStatus });
      if (code === c!.MaHoSo) return [{}];
      if (code === d!.MaHoSo) return 'Hệ thống đang bảo trì';
      if (code === e!.MaHoSo) return [];
      if (code === f!.MaHoSo) return upper(code, ['NgayHenTra'], { TrangThaiHoSo: f!.TrangThaiHoSo === '4' ? '2' : '4' })[0];
      return upper(code);
    });
    const t = spine.config.targets[0]!;
    const bare = { ...t, style: 'bare-array', baseUrl: url, insertPath: '/DongBoHoSoMC', updatePath: '/DongBoHoSoMC', progressPath: '/CapNhatTienDoHoSoMC', lookupPath: '/TraCuuHoSo' } as Record<string, unknown>;
    delete bare['username'];
    delete bare['passwordEnv'];
    const config = { ...spine.config, targets: [bare as unknown as TargetConfig] };

    const report = await reconcile(spine.ledger, config, { targetId: 'national', ...OCTOBER, env: spine.env, deep: true, createdBy: 'test' });
    expect(report.stats.portal.lookups).toBe(8);
    expect(Object.fromEntries(report.differences.map((x) => [x.code, x.reason]))).toEqual({
      [a!.MaHoSo]: 'portal_unverifiable',
      [b!.MaHoSo]: 'portal_stale',
      [c!.MaHoSo]: 'portal_unverifiable',
      [d!.MaHoSo]: 'portal_unverifiable',
      [e!.MaHoSo]: 'missing_on_portal',
      [f!.MaHoSo]: 'portal_stale',
    });
    const byCode = new Map(report.differences.map((x) => [x.code, x]));
    expect(byCode.get(a!.MaHoSo)!.detail['unverifiable']).toEqual(['TrangThaiHoSo']);
    expect(byCode.get(b!.MaHoSo)!.detail['fields']).toEqual([{ field: 'TrangThaiHoSo', ledger: b!.TrangThaiHoSo, portal: otherStatus }]);
    expect(byCode.get(c!.MaHoSo)!.detail['unverifiable']).toEqual(FIELDS.slice(1));
    // A single object (not a list) is read too; the field it lacks is listed beside the one that differs.
    expect(byCode.get(f!.MaHoSo)!.detail['unverifiable']).toEqual(['NgayHenTra']);
    expect(report.exitCode).toBe(2);

    // Headline and formats: counted as not compared, shown with its reason.
    expect(notComparedOf(report).join(' ')).toContain('3 dossiers on the portal');
    const csv = toCsv(report);
    expect(csv).toContain('portal_unverifiable');
    expect(csv).toContain('Cổng không trả về (không đối chiếu được): TrangThaiHoSo');
    const html = toHtml(report);
    expect(html).toContain(REASON_LABELS_VI.portal_unverifiable);
    // People read Vietnam time and dd/MM/yyyy, never an ISO instant.
    expect(html).toMatch(/Lập lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} \(giờ Việt Nam\)/);
    expect(html).toContain('Kỳ: 01/10/2026 → 31/10/2026');
    expect(html).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect(html).toContain('3 hồ sơ trên Cổng (câu trả lời thiếu trường hoặc không đọc được)');
  });

  it('a bare-array target without lookupPath is not compared, not "missing on the portal"', async () => {
    spine = await startSpine({ count: 2 });
    expect((await runSync(spine.ledger, spine.config, { env: spine.env })).exitCode).toBe(0);
    const t = spine.config.targets[0]!;
    const bare = { ...t, style: 'bare-array', insertPath: '/DongBoHoSoMC', updatePath: '/DongBoHoSoMC', progressPath: '/CapNhatTienDoHoSoMC' } as Record<string, unknown>;
    delete bare['username'];
    delete bare['passwordEnv'];
    const report = await reconcile(spine.ledger, { ...spine.config, targets: [bare as unknown as TargetConfig] }, { targetId: 'national', ...OCTOBER, env: spine.env, deep: true });
    expect(report.differences.map((x) => x.reason)).toEqual(['portal_unverifiable', 'portal_unverifiable']);
    expect(String(report.differences[0]!.detail['note'])).toContain('no lookupPath');
    expect(report.exitCode).toBe(2);
  });

  it('a look-up that fails is that dossier not compared, the others still compared; every look-up is a receipt with its MaHoSo', async () => {
    spine = await startSpine({ count: 4 });
    expect((await runSync(spine.ledger, spine.config, { env: spine.env })).exitCode).toBe(0);
    const [a] = spine.records as PortalDossierWithProgress[];
    const held = (code: string) => [Object.fromEntries(FIELDS.map((k) => [k, (spine!.sim.dossier(code)!.record as Record<string, unknown>)[k] ?? '']))];
    stub = createServer((req, res) => {
      const code = new URL(req.url ?? '/', 'http://x').searchParams.get('mahoso') ?? '';
      if (code === a!.MaHoSo) {
        res.statusCode = 400;
        res.end('Bad Request');
        return;
      }
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify({ error_code: '0', message: 'Thành công', result: held(code) }));
    });
    await new Promise<void>((r) => stub!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
    const t = spine.config.targets[0]!;
    const bare = { ...t, style: 'bare-array', baseUrl: url, lookupPath: '/TraCuuHoSo' } as Record<string, unknown>;
    delete bare['username'];
    delete bare['passwordEnv'];
    const report = await reconcile(spine.ledger, { ...spine.config, targets: [bare as unknown as TargetConfig] }, { targetId: 'national', ...OCTOBER, env: spine.env, deep: true, store: false });
    expect(report.stats.portal.lookups).toBe(4);
    expect(report.differences.map((x) => [x.code, x.reason])).toEqual([[a!.MaHoSo, 'portal_unverifiable']]);
    expect(String(report.differences[0]!.detail['note'])).toContain('the look-up failed');
    const receipts = await spine.ledger.rows<{ dossier_code: string | null; http_status: number | null }>(sql`select dossier_code, http_status from receipts where service = 'TraCuuHoSo' order by seq`);
    expect(receipts.map((r) => r.dossier_code).sort()).toEqual(spine.records.map((r) => r.MaHoSo).sort());
    expect(receipts.find((r) => r.dossier_code === a!.MaHoSo)?.http_status).toBe(400);
  });
});
