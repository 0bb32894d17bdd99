import { describe, expect, it } from 'vitest';
import { parsePortalRecord } from '../dossier/index.ts';
import { generateDossiers } from '../demo/generate.ts';
import { setOwn, shapeIssues } from './own.ts';

describe('objects built from untrusted keys', () => {
  it('keeps "__proto__" an own key', () => {
    const out: Record<string, unknown> = {};
    setOwn(out, '__proto__', { MaTTHC: '1.000001' });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect((out as { MaTTHC?: unknown }).MaTTHC).toBeUndefined();
  });

  it('never lets an inherited value pass validation', () => {
    const [record] = [...generateDossiers({ count: 1, seed: 4 })];
    const { MaTTHC, ...rest } = record as unknown as Record<string, unknown>;
    expect(parsePortalRecord({ ...rest, MaTTHC }).ok).toBe(true);
    // What `out[key] = value` with the key "__proto__" makes: the field only inherited.
    const polluted = Object.setPrototypeOf({ ...rest }, { MaTTHC }) as Record<string, unknown>;
    expect(polluted['MaTTHC']).toBe(MaTTHC);
    const out = parsePortalRecord(polluted);
    expect(out.ok).toBe(false);
    expect(out.ok ? [] : out.issues).toEqual([expect.objectContaining({ path: '', code: 'foreign_prototype' })]);
  });

  it('names nesting deeper than 64 levels without recursion', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(shapeIssues({ GhiChu: deep })).toEqual([{ path: `GhiChu${'.a'.repeat(63)}`, code: 'too_deep', message: 'is nested deeper than 64 levels: the record is quarantined' }]);
  });
});
