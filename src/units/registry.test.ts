import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { loadUnitRegistry } from './registry.ts';

const sample = readFileSync(new URL('./data/units.sample.json', import.meta.url), 'utf8');

describe('unit registry (rules.md §15)', () => {
  const units = loadUnitRegistry(sample);

  it('resolves a code to the unit valid at the receipt date', () => {
    expect(units.resolve('000.07.21.H48', '2025-03-01')).toEqual({ code: '000.07.21.H48', name: 'UBND xã Đông Lương (cũ)', via: 'as_recorded' });
    expect(units.resolve('000.20.48.H48', '2019-01-02')).toEqual({ code: '000.20.48.H48', name: 'Sở Tư pháp tỉnh Quảng Trị', via: 'as_recorded' });
  });

  it('sends an old code used after the reorganisation to the successor valid that day', () => {
    expect(units.resolve('000.07.21.H48', '2025-08-01')).toEqual({ code: '000.05.21.H48', name: 'UBND xã Đông Hòa', via: 'successor_at_receipt' });
  });

  it('rolls old units up to their last successor on request', () => {
    expect(units.resolve('000.07.21.H48', '2025-03-01', { rollup: true })).toEqual({ code: '000.05.21.H48', name: 'UBND xã Đông Hòa', via: 'rolled_up' });
    expect(units.resolve('000.05.21.H48', '2026-01-01', { rollup: true })?.via).toBe('as_recorded');
  });

  it('returns null for a code it does not know', () => {
    expect(units.resolve('000.99.99.H99', '2026-01-01')).toBeNull();
  });

  it('picks the version of a reused code by date', () => {
    const reg = loadUnitRegistry({
      version: 1,
      units: [
        { code: '000.01.01.H01', name: 'Cũ', validTo: '2025-06-30' },
        { code: '000.01.01.H01', name: 'Mới', validFrom: '2025-07-01' },
      ],
    });
    expect(reg.at('000.01.01.H01', '2025-06-30')?.name).toBe('Cũ');
    expect(reg.at('000.01.01.H01', '2025-07-01')?.name).toBe('Mới');
    expect(reg.latest('000.01.01.H01')?.name).toBe('Mới');
  });

  it('lists every problem of a bad file with its path', () => {
    const bad = {
      version: 1,
      units: [
        { code: '000.1.01.H01', name: 'Sai mã' },
        { code: '000.01.01.H01', name: 'A', validFrom: '2025-02-30', successor: '000.02.02.H02', validTo: '2025-06-30' },
        { code: '000.02.02.H02', name: 'B', parent: '000.09.09.H09', successor: '000.01.01.H01', validTo: '2025-01-01', validFrom: '2025-03-01' },
        { code: '000.03.03.H03', name: '', successor: '000.01.01.H01' },
      ],
    };
    let error: unknown;
    try {
      loadUnitRegistry(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const paths = (error as ValidationError).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['units[0].code', 'units[1].validFrom', 'units[2].parent', 'units[2].validTo', 'units[1].successor', 'units[3].name', 'units[3].validTo']));
    expect((error as ValidationError).message).toMatch(/loops back/);
    expect(() => loadUnitRegistry('{not json')).toThrow(/not valid JSON/);
  });
});
