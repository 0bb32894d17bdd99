import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dvcqgFileAdapter } from '../../adapters/dvcqg-file/index.ts';
import type { SourceConfig } from '../../schemas/config.ts';
import { openTestLedger, type TestLedger } from '../../test/support/ledger.ts';
import { generateDossiers } from '../demo/generate.ts';
import type { AdapterDefinition } from '../sdk/index.ts';
import { getDossierDetail } from '../ledger/queries.ts';
import { ingestSource } from './ingest.ts';

const adapter = dvcqgFileAdapter as unknown as AdapterDefinition<unknown, unknown>;
let ledger: TestLedger;
let dir: string;

beforeEach(async () => {
  ledger = await openTestLedger();
  dir = await mkdtemp(join(tmpdir(), 'lt-ingest-'));
});
afterEach(async () => {
  await ledger.close();
  await rm(dir, { recursive: true, force: true });
});

const source = (pageSize = 3): SourceConfig => ({ id: 'qt', adapter: 'dvcqg-file', options: { path: dir }, units: [], pageSize });
const ndjson = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('ingest of dvcqg-file exports', () => {
  it('stores new dossiers with one delivery per target and skips unchanged ones on the next run', async () => {
    const records = [...generateDossiers({ count: 7, seed: 3 })];
    await writeFile(join(dir, 'a.ndjson'), ndjson(records));
    const first = await ingestSource(ledger, source(), adapter, { runId: null, targetIds: ['national', 'province'] });
    expect(first).toMatchObject({ pulled: 7, new: 7, changed: 0, unchanged: 0, quarantined: 0 });
    const [d] = await ledger.rows<{ n: number }>(sql`select count(*)::int as n from deliveries`);
    expect(d?.n).toBe(14);

    // Same file again, touched: re-read, nothing new.
    await writeFile(join(dir, 'a.ndjson'), ndjson(records) + '\n');
    const second = await ingestSource(ledger, source(), adapter, { runId: null, targetIds: ['national'] });
    expect(second).toMatchObject({ pulled: 7, new: 0, changed: 0, unchanged: 7 });

    // One record changes status: one changed, its delivery goes back to pending at version 2.
    await ledger.rows(sql`update deliveries set status = 'delivered', delivered_version = version`);
    const changed = records.map((r, i) => (i === 2 ? { ...r, TrangThaiHoSo: '8' } : r));
    await writeFile(join(dir, 'a.ndjson'), ndjson(changed));
    const third = await ingestSource(ledger, source(), adapter, { runId: null, targetIds: ['national'] });
    expect(third).toMatchObject({ new: 0, changed: 1, unchanged: 6 });
    const pending = await ledger.rows<{ code: string; version: number }>(
      sql`select d.code, q.version from deliveries q join dossiers d on d.id = q.dossier_id where q.status = 'pending' and q.target_id = 'national'`,
    );
    expect(pending).toEqual([{ code: records[2]!.MaHoSo, version: 2 }]);
  });

  it('keeps each raw record exactly, with its canonical record, across pages and mapping slices', async () => {
    // 600 records in pages of 300: each page is mapped in slices, and raw records travel apart
    // from the page's JSON, separated by U+001E — which one of them holds inside a text.
    const records = [...generateDossiers({ count: 600, seed: 9 })];
    records[123] = { ...records[123]!, GhiChu: 'Ghi chú có ký tự \u001e tách bản ghi và "ngoặc kép"', ThongTinKhac: 'Hòa\nThuận' };
    await writeFile(join(dir, 'a.ndjson'), ndjson(records));
    expect(await ingestSource(ledger, source(300), adapter, { runId: null, targetIds: [] })).toMatchObject({ pulled: 600, new: 600, quarantined: 0 });
    for (const i of [0, 123, 299, 300, 599]) {
      const [detail] = await getDossierDetail(ledger, records[i]!.MaHoSo);
      expect(detail?.raw).toStrictEqual(JSON.parse(JSON.stringify(records[i])));
      expect((detail?.canonical as { code: string }).code).toBe(records[i]!.MaHoSo);
    }
    const [detail] = await getDossierDetail(ledger, records[123]!.MaHoSo);
    expect((detail?.canonical as { note: string }).note).toBe('Ghi chú có ký tự \u001e tách bản ghi và "ngoặc kép"');
  });

  it('quarantines each bad record with every issue and its path, and lets the rest of the file through (an over-long text is kept whole)', async () => {
    const [good, noCode, badDate, badStatus, wrongType, tooLong] = [...generateDossiers({ count: 6, seed: 5 })];
    const lines = [
      JSON.stringify(good),
      '{"MaHoSo": "broken',
      JSON.stringify({ ...noCode, MaHoSo: undefined }),
      JSON.stringify({ ...badDate, NgayHenTra: '2024-07-22 17:00' }),
      JSON.stringify({ ...badStatus, TrangThaiHoSo: '11' }),
      // A number or boolean that reads as the contract's value is coerced (typed exports); these cannot be.
      JSON.stringify({ ...wrongType, LoaiDoiTuong: true, TaiLieuNop: [{ ...wrongType!.TaiLieuNop![0], DuocSoHoa: 2 }] }),
      JSON.stringify({ ...tooLong, TrichYeuHoSo: 'Đ'.repeat(1001) }),
    ];
    await writeFile(join(dir, 'b.ndjson'), lines.join('\n'));
    const res = await ingestSource(ledger, source(10), adapter, { runId: null, targetIds: [] });
    // A text over the portal's limit is not a bad record: the ledger keeps it whole, the wire cuts it (with a warning).
    expect(res).toMatchObject({ pulled: 7, new: 2, quarantined: 5 });
    const q = await ledger.rows<{ record_key: string; location: string; issues: { path: string; message: string }[]; raw_text: string | null }>(
      sql`select record_key, location, issues, raw_text from quarantine order by location`,
    );
    const byLoc = new Map(q.map((r) => [r.location, r]));
    expect(byLoc.get('b.ndjson:2')?.raw_text).toBe('{"MaHoSo": "broken');
    expect(byLoc.get('b.ndjson:2')?.issues[0]?.message).toMatch(/not valid JSON/);
    expect(byLoc.get('b.ndjson:3')?.issues.map((i) => i.path)).toContain('MaHoSo');
    expect(byLoc.get('b.ndjson:4')).toMatchObject({ record_key: badDate!.MaHoSo });
    expect(byLoc.get('b.ndjson:4')?.issues).toEqual([expect.objectContaining({ path: 'NgayHenTra', message: expect.stringMatching(/yyyyMMddHHmmss/) })]);
    expect(byLoc.get('b.ndjson:5')?.issues).toEqual([expect.objectContaining({ path: 'TrangThaiHoSo' })]);
    expect(byLoc.get('b.ndjson:6')?.issues.map((i) => i.path).sort()).toEqual(['LoaiDoiTuong', 'TaiLieuNop[0].DuocSoHoa']);
    expect(byLoc.has('b.ndjson:7')).toBe(false);
    const [kept] = await getDossierDetail(ledger, tooLong!.MaHoSo);
    expect((kept?.raw as { TrichYeuHoSo: string }).TrichYeuHoSo).toBe('Đ'.repeat(1001));
  });

  it('re-tries a quarantined record when its source record changes, and resolves it', async () => {
    const [rec] = [...generateDossiers({ count: 1, seed: 9 })];
    await writeFile(join(dir, 'c.ndjson'), JSON.stringify({ ...rec, TrangThaiHoSo: '0' }) + '\n');
    expect(await ingestSource(ledger, source(), adapter, { runId: null, targetIds: [] })).toMatchObject({ quarantined: 1, new: 0 });
    await writeFile(join(dir, 'c.ndjson'), JSON.stringify(rec) + '\n');
    expect(await ingestSource(ledger, source(), adapter, { runId: null, targetIds: [] })).toMatchObject({ quarantined: 0, new: 1 });
    const open = await ledger.rows<{ n: number }>(sql`select count(*)::int as n from quarantine where resolved_at is null`);
    expect(open[0]?.n).toBe(0);
  });

  it('resumes a file from the stored cursor without re-reading stored pages', async () => {
    const records = [...generateDossiers({ count: 10, seed: 11 })];
    await writeFile(join(dir, 'd.ndjson'), ndjson(records));
    const pages: number[] = [];
    const controller = new AbortController();
    await expect(
      ingestSource(ledger, source(4), adapter, {
        runId: null,
        targetIds: [],
        signal: controller.signal,
        onPage: (s) => {
          pages.push(s.pulled);
          if (s.pulled >= 4) controller.abort();
        },
      }),
    ).rejects.toThrow();
    expect(pages).toEqual([4]);
    const resumed = await ingestSource(ledger, source(4), adapter, { runId: null, targetIds: [] });
    expect(resumed).toMatchObject({ pulled: 6, new: 6 });
    const [n] = await ledger.rows<{ n: number }>(sql`select count(*)::int as n from dossiers`);
    expect(n?.n).toBe(10);
  });
});
