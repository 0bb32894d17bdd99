/**
 * With a procedure catalogue stored (`lienthong catalog sync`), the push sends the catalogue's
 * national procedure name and field, with a warning per change on the delivery and a count in the
 * run summary; without one, the wire is as the source sent it. PGlite, or PostgreSQL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readCatalogFile } from '../../src/catalog/entry.ts';
import { upsertCatalog } from '../../src/catalog/store.ts';
import { getDossierDetail } from '../../src/ledger/queries.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { startSpine, type Spine } from '../support/spine.ts';

let spine: Spine | undefined;
afterEach(async () => {
  await spine?.close();
  spine = undefined;
});

describe('the push fills national procedure names from the stored catalogue', () => {
  it('sends the catalogue name and field for a known procedure, warns, counts; other dossiers unchanged', async () => {
    spine = await startSpine({ count: 4, seed: 71 });
    const [a, ...rest] = spine.records;
    const national = 'Chứng thực bản sao từ bản chính';
    // The local system sends its own local-format code and an outdated, unaccented name.
    await spine.writeExport('0001.ndjson', [{ ...a!, MaTTHC: '2.000908.000.00.00.H48', TenTTHC: 'Chung thuc ban sao', MaLinhVuc: 'X' }, ...rest.map((r) => ({ ...r, MaTTHC: '9.999999' }))]);
    const read = readCatalogFile({ version: 1, procedures: [{ code: '2.000908', name: national, fieldCode: 'CT', fieldName: 'Chứng thực', timeLimit: { value: 0, unit: 'working_days' } }] });
    expect(read.problems).toEqual([]);
    await upsertCatalog(spine.ledger, read.entries, 'file:test');

    const s = await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(s.targets[0]).toMatchObject({ delivered: 4, dead: 0, catalogFilled: 1 });
    const held = spine.sim.dossier(a!.MaHoSo)?.record as Record<string, unknown>;
    expect(held).toMatchObject({ MaTTHC: '2.000908', TenTTHC: national, MaLinhVuc: 'CT', TenLinhVuc: 'Chứng thực' });
    for (const r of rest) expect(spine.sim.dossier(r.MaHoSo)?.record.TenTTHC).toBe(r.TenTTHC);

    // The ledger keeps what the source sent; the delivery says what was changed.
    const [detail] = await getDossierDetail(spine.ledger, a!.MaHoSo);
    expect((detail!.canonical as { procedure: { code: string } }).procedure.code).toBe('2.000908.000.00.00.H48');
    expect(JSON.stringify(detail)).toContain('TenTTHC \\"Chung thuc ban sao\\" → \\"Chứng thực bản sao từ bản chính\\" from the procedure catalogue');
  });
});
