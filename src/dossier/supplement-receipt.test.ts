import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dossierToPortal, parsePortalRecord } from './index.ts';

// Fixture D with its supplement answered: who took the resubmission in (NguoiTiepNhanBoSung) and
// what was taken in (ThongTinTiepNhan) hold distinct, non-empty values, so a swap shows.
const fixtureD = JSON.parse(readFileSync(new URL('../../test/fixtures/contract/d-dongbo-supplement.json', import.meta.url), 'utf8')) as { data: Record<string, unknown>[] };

function answered(): Record<string, unknown> {
  const record = structuredClone(fixtureD.data[0]!);
  const [q] = record['DanhSachHoSoBoSung'] as Record<string, unknown>[];
  Object.assign(q!, { NguoiTiepNhanBoSung: 'Lê Thị Mai', ThongTinTiepNhan: 'Đã nhận bản sao GCN QSDĐ và bản vẽ mặt bằng', NgayTiepNhanBoSung: '20240513090000', TrangThaiBoSung: '1' });
  return record;
}

describe('supplement receipt fields through the wire mapper', () => {
  it('reads NguoiTiepNhanBoSung as the receiver and ThongTinTiepNhan as the receipt information', () => {
    const parsed = parsePortalRecord(answered());
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.supplementRequests[0]).toMatchObject({ receivedBy: 'Lê Thị Mai', receiptInfo: 'Đã nhận bản sao GCN QSDĐ và bản vẽ mặt bằng' });
  });

  it('writes them back to the same portal fields', () => {
    const parsed = parsePortalRecord(answered());
    if (!parsed.ok) throw new Error('fixture D did not parse');
    const wire = dossierToPortal(parsed.value);
    expect(wire.DanhSachHoSoBoSung?.[0]).toMatchObject({ NguoiTiepNhanBoSung: 'Lê Thị Mai', ThongTinTiepNhan: 'Đã nhận bản sao GCN QSDĐ và bản vẽ mặt bằng', NgayTiepNhanBoSung: '20240513090000' });
  });
});
