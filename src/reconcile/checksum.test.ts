import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestLedger, type TestLedger } from '../../test/support/ledger.ts';
import type { SourceKey } from '../sdk/index.ts';
import { bisect, checksumOf, compareAll, fingerprint, memorySide } from './checksum.ts';
import { ledgerSide } from './ledger-side.ts';

const hash = (s: string) => createHash('sha256').update(s).digest('hex');
const code = (i: number) => `000.20.48.H48-2610${String(1 + (i % 28)).padStart(2, '0')}-${String(i).padStart(5, '0')}`;

let ledger: TestLedger | undefined;
afterEach(async () => {
  await ledger?.close();
  ledger = undefined;
});

async function seed(l: TestLedger, keys: SourceKey[]): Promise<void> {
  const rows = keys.map((k) => ({ code: k.key, content_hash: k.hash }));
  await l.rows(sql`insert into dossiers (source_id, code, procedure_code, status, raw, canonical, content_hash)
    select 'local', code, '1.001193', 4, '{}', '{}'::jsonb, content_hash
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(code text, content_hash text)`);
}

describe('checksum bisection', () => {
  it('computes the same fingerprint XOR in PostgreSQL as in JavaScript', async () => {
    ledger = await openTestLedger();
    const keys = Array.from({ length: 50 }, (_, i) => ({ key: code(i), hash: hash(`v1-${i}`) }));
    await seed(ledger, keys);
    const [whole] = await ledgerSide(ledger, 'local').checksums({ from: null, to: null }, []);
    expect(whole).toEqual(checksumOf(keys));
    expect(fingerprint('ffffffffffffffff00')).toBe(-1n);
  });

  it('finds exactly the planted differences by bisection, listing far fewer rows than a full comparison', async () => {
    ledger = await openTestLedger();
    const n = 6000;
    const keys = Array.from({ length: n }, (_, i) => ({ key: code(i), hash: hash(`v1-${i}`) }));
    await seed(ledger, keys);
    const source = keys.filter((_, i) => i % 1500 !== 7).map((k, i) => (i % 2000 === 3 ? { ...k, hash: hash(`v2-${k.key}`) } : k));
    source.push({ key: code(n + 1), hash: hash('new') }, { key: '000.05.21.H48-261003-0001', hash: hash('other unit') });

    const side = ledgerSide(ledger, 'local');
    const fast = await bisect(side, memorySide('source', source), { factor: 8, leaf: 64 });
    const full = await compareAll(side, memorySide('source', source), 1000);
    const sortKeys = (xs: { key: string }[]) => xs.map((x) => x.key).sort();
    expect(sortKeys(fast.diff.onlyLedger)).toEqual([7, 1507, 3007, 4507].map(code).sort());
    expect(sortKeys(fast.diff.onlySource)).toEqual(sortKeys(full.diff.onlySource));
    expect(fast.diff.onlySource).toHaveLength(2);
    expect(sortKeys(fast.diff.changed)).toEqual(sortKeys(full.diff.changed));
    expect(fast.diff.changed).toHaveLength(3);
    expect(full.stats.rowsListed).toBe(n + source.length);
    expect(fast.stats.rowsListed).toBeLessThan(full.stats.rowsListed / 5);
  });

  it('lists a range the ledger lacks entirely by splitting at the source’s keys', async () => {
    ledger = await openTestLedger();
    const source = Array.from({ length: 700 }, (_, i) => ({ key: code(i), hash: hash(`s-${i}`) }));
    const fast = await bisect(ledgerSide(ledger, 'local'), memorySide('source', source), { factor: 4, leaf: 50 });
    expect(fast.diff.onlySource).toHaveLength(700);
    expect(fast.diff.onlyLedger).toEqual([]);
  });
});
