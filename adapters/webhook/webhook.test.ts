import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.ts';
import { storePage } from '../../src/ledger/store-page.ts';
import { mapRecords } from '../../src/pipeline/ingest.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { startSpine, type Spine } from '../../test/support/spine.ts';
import { mapPushedRecords, webhookAdapter, type PushedRecord } from './index.ts';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const golden = (name: string): unknown => JSON.parse(readFileSync(new URL(`./golden/${name}`, import.meta.url), 'utf8'));
const MAPPED_OPTIONS = { mapping: fixture('mapping.json') as Record<string, unknown>, recordsPath: 'hoSo.danhSach' };
const view = (out: PushedRecord[]) => out.map((p) => ({ key: p.record.key, location: p.record.location, outcome: p.outcome }));

describe('webhook', () => {
  it('pulls nothing: records arrive by push', async () => {
    const pages = [];
    for await (const page of webhookAdapter.pull(webhookAdapter.configSchema.parse({}), null, { pageSize: 10 })) pages.push(page);
    expect(pages).toEqual([]);
  });

  it('maps a push in the portal format (the portal envelope, an array or one object) to the golden dossiers', () => {
    const body = fixture('push-portal.json') as { data: unknown[] };
    expect(view(mapPushedRecords(body, {}, { location: 'push r1' }))).toStrictEqual(golden('push-portal.json'));
    expect(view(mapPushedRecords(body.data, {}, { location: 'push r1' }))).toStrictEqual(golden('push-portal.json'));
    expect(mapPushedRecords(body.data[0]).map((p) => p.record.key)).toEqual(['000.31.38.H56-240715-0012']);
  });

  it('maps a push in a vendor format by the declared mapping to the golden dossiers', () => {
    expect(view(mapPushedRecords(fixture('push-mapped.json'), MAPPED_OPTIONS, { location: 'push r2' }))).toStrictEqual(golden('push-mapped.json'));
    const out = webhookAdapter.map((fixture('push-mapped.json') as { hoSo: { danhSach: unknown[] } }).hoSo.danhSach[0], { sourceId: 's', options: webhookAdapter.configSchema.parse(MAPPED_OPTIONS) });
    expect(out.ok && out.value.code).toBe('000.00.20.H99-240311-0001');
  });

  it('reports every issue of each bad record with its path, and refuses a body without records', () => {
    const [bad, notObject] = mapPushedRecords([{ MaHoSo: 'X-1', NgayTiepNhan: '2024-13-01', TrangThaiHoSo: '12' }, 'X-2']);
    expect(!bad!.outcome.ok && bad!.outcome.issues.map((i) => i.path).sort()).toEqual(['DonViXuLy', 'HinhThuc', 'LoaiDoiTuong', 'MaTTHC', 'NgayTiepNhan', 'TenTTHC', 'TrangThaiHoSo', 'TrichYeuHoSo']);
    expect(notObject!.outcome).toEqual({ ok: false, issues: [{ path: '', message: 'a record must be an object, got string' }] });
    expect(() => mapPushedRecords({ khac: 1 }, MAPPED_OPTIONS)).toThrow(ValidationError);
    expect(() => mapPushedRecords(new Array(3).fill({}), { maxRecords: 2 })).toThrow(/more than 2/);
  });
});

describe('webhook end to end', () => {
  let spine: Spine | undefined;
  afterEach(async () => {
    await spine?.close();
    spine = undefined;
  });

  it('stores pushed records through the pipeline and delivers them to the portal simulator', async () => {
    spine = await startSpine({ count: 1 });
    const config = { ...spine.config, sources: [{ id: 'pushed', adapter: 'webhook', options: MAPPED_OPTIONS, units: [], pageSize: 100 }] };
    const options = webhookAdapter.configSchema.parse(MAPPED_OPTIONS);
    const pushed = mapPushedRecords(fixture('push-mapped.json'), MAPPED_OPTIONS, { location: 'push e2e' });
    const { valid, invalid } = mapRecords(webhookAdapter as never, 'pushed', pushed.map((p) => p.record), options);
    expect(invalid).toEqual([]);
    await storePage(spine.ledger, { sourceId: 'pushed', runId: null, valid, invalid, targetIds: ['national'] });
    const summary = await runSync(spine.ledger, config, { env: spine.env, pull: false });
    expect(summary.targets[0]).toMatchObject({ delivered: 2, dead: 0, pending: 0 });
    const held = spine.sim.dossier('000.00.20.H99-240311-0001');
    expect(held?.record).toMatchObject({ MaHoSo: '000.00.20.H99-240311-0001', NgayTiepNhan: '20240311081605', TrangThaiHoSo: '4', KenhThucHien: '2' });
    expect(held?.progress).toHaveLength(2);
  });
});
