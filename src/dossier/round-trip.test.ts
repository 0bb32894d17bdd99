import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PortalDossierSchema } from '../../schemas/portal.ts';
import { dossierToPortal, normalizeText, parsePortalRecord, progressToPortal } from './index.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../test/fixtures/contract/${name}.json`, import.meta.url), 'utf8'));

/** The contract's fixtures, as wire records: absent fields and null are "" / [] on the wire. */
function expectSameOnTheWire(input: Record<string, unknown>, output: Record<string, unknown>, at = '') {
  for (const [field, value] of Object.entries(input)) {
    const out = output[field];
    if (value === null) expect(out, at + field).toBe('');
    else if (Array.isArray(value) && value.every((v) => v && typeof v === 'object')) {
      expect(Array.isArray(out) && out.length, at + field).toBe(value.length);
      value.forEach((v, i) => expectSameOnTheWire(v as Record<string, unknown>, (out as Record<string, unknown>[])[i]!, `${at}${field}[${i}].`));
    } else expect(out, at + field).toStrictEqual(value);
  }
  for (const [field, value] of Object.entries(output)) {
    if (!(field in input)) expect(value === '' || (Array.isArray(value) && value.length === 0), `${at}${field} not in the fixture must be empty`).toBe(true);
  }
}

describe('canonical dossier ↔ portal wire format', () => {
  for (const name of ['a-dongbo-first-push', 'b-dongbo-update-online-paid', 'd-dongbo-supplement']) {
    it(`maps fixture ${name} to the canonical dossier and back, field by field`, () => {
      const record = fixture(name).data[0];
      const parsed = parsePortalRecord(record);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
      const wire = dossierToPortal(parsed.value);
      expectSameOnTheWire(record, wire as Record<string, unknown>);
      expect(PortalDossierSchema.safeParse(wire).success).toBe(true);
      // Every scalar on the wire is a string.
      JSON.stringify(wire, (_k, v) => {
        if (v !== null && typeof v !== 'object') expect(typeof v).toBe('string');
        return v;
      });
    });
  }

  it('keeps the progress history of fixture C exactly', () => {
    const items = fixture('c-progress-history').data as Record<string, string>[];
    const dossier = { ...fixture('b-dongbo-update-online-paid').data[0], QuaTrinhXuLy: items };
    const parsed = parsePortalRecord(dossier);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(parsed.value.progress.map((p) => progressToPortal(parsed.value.code, p))).toStrictEqual(items);
  });

  it('stores dates as instants: 08:30:12 in Vietnam is 01:30:12 UTC', () => {
    const parsed = parsePortalRecord(fixture('a-dongbo-first-push').data[0]);
    expect(parsed.ok && parsed.value.dates.receivedAt).toBe('2024-07-15T01:30:12.000Z');
    expect(parsed.ok && parsed.value.unit.code).toBe('000.31.38.H56');
    expect(parsed.ok && parsed.value.status).toEqual({ code: 2, name: 'received' });
  });

  it('normalises decomposed Vietnamese to NFC and sends it byte-exact', () => {
    const record = { ...fixture('a-dongbo-first-push').data[0], ChuHoSo: 'Trần Thị Bích'.normalize('NFD') };
    const parsed = parsePortalRecord(record);
    if (!parsed.ok) throw new Error('invalid');
    const wire = dossierToPortal(parsed.value);
    expect(wire.ChuHoSo).toBe('Trần Thị Bích'.normalize('NFC'));
    expect(Buffer.from(JSON.stringify(wire)).includes(Buffer.from('Trần Thị Bích'.normalize('NFC')))).toBe(true);
  });

  it('lists every issue of a bad record with its path, not only the first', () => {
    const record = { ...fixture('b-dongbo-update-online-paid').data[0], NgayTiepNhan: '2024-04-02', TrangThaiHoSo: '11', KenhThucHien: 2 };
    const parsed = parsePortalRecord(record);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.map((i) => i.path).sort()).toEqual(['KenhThucHien', 'NgayTiepNhan', 'TrangThaiHoSo']);
  });

  it('refuses a progress item that names another dossier', () => {
    const items = fixture('c-progress-history').data as Record<string, string>[];
    const record = { ...fixture('a-dongbo-first-push').data[0], QuaTrinhXuLy: items };
    const parsed = parsePortalRecord(record);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues[0]?.path).toBe('QuaTrinhXuLy[0].MaHoSo');
  });
});

describe('NFC normalisation of a record', () => {
  it('returns an already-NFC record itself, without a copy', () => {
    const record = { a: 'Nguyễn Văn Ân', list: [{ b: 'Hòa' }, 'x'], n: 1, none: null };
    expect(normalizeText(record)).toBe(record);
  });

  it('normalises decomposed text at any depth, copying only the parts that change', () => {
    const nested = { c: 'plain' };
    const record = { a: 'Hòa'.normalize('NFD'), list: [{ b: 'Thủy'.normalize('NFD') }, 'x'], nested };
    const out = normalizeText(record);
    expect(out).toStrictEqual({ a: 'Hòa', list: [{ b: 'Thủy' }, 'x'], nested: { c: 'plain' } });
    expect(out.nested).toBe(nested);
    expect(record.a).toBe('Hòa'.normalize('NFD'));
    expect(record.list[0]).toStrictEqual({ b: 'Thủy'.normalize('NFD') });
  });
});
