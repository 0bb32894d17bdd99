/**
 * A ledger filled by a real sync for the dashboard tests: generated dossiers pulled from export
 * files and delivered to the portal simulator, two records quarantined (a due date in a format
 * the adapter did not read yet, a missing procedure code), one delivery dead, one reconciliation.
 */
import { sql } from 'drizzle-orm';
import { dvcqgFileAdapter } from '../../adapters/dvcqg-file/index.ts';
import { getAdapter } from '../../adapters/index.ts';
import type { PortalDossierWithProgress } from '../../schemas/portal.ts';
import { generateDossiers } from '../../src/demo/generate.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { reconcile } from '../../src/reconcile/run.ts';
import type { AdapterDefinition } from '../../src/sdk/index.ts';
import { startSpine, type Spine } from '../support/spine.ts';

const [A, B] = [...generateDossiers({ count: 2, seed: 99, start: '2026-10-15T02:00:00.000Z', spanDays: 2 })] as [PortalDossierWithProgress, PortalDossierWithProgress];
export const LATE_DUE_CODE = A.MaHoSo.replace(/-\d+$/, '-9001');
export const NO_PROCEDURE_CODE = B.MaHoSo.replace(/-\d+$/, '-9002');

/** A generated record under another code (its progress items name the code too). */
function recode(r: PortalDossierWithProgress, code: string): PortalDossierWithProgress {
  return { ...r, MaHoSo: code, ...(r.QuaTrinhXuLy ? { QuaTrinhXuLy: r.QuaTrinhXuLy.map((p) => ({ ...p, MaHoSo: code })) } : {}) };
}
export const CITIZEN_ID = '079188001234';
export const PHONE = '0912345678';
export const EMAIL = 'an.nguyen@example.vn';
/** Judgement day of the tests: inside the admin reporting month 2026-11 (15/10 → 14/11). */
export const NOW = new Date('2026-10-25T03:00:00.000Z');

/**
 * The adapter after a mapping fix: it now also reads due dates written `dd/MM/yyyy HH:mm`.
 * Replaying the quarantined record with it must store the dossier.
 */
const registered: AdapterDefinition<unknown, unknown> = dvcqgFileAdapter;
export const fixedAdapter: AdapterDefinition<unknown, unknown> = {
  ...registered,
  version: '1.0.1',
  map(raw, ctx) {
    const r = raw as Record<string, unknown>;
    const m = typeof r['NgayHenTra'] === 'string' ? /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})$/.exec(r['NgayHenTra']) : null;
    const fixed = m ? { ...r, NgayHenTra: `${m[3]}${m[2]}${m[1]}${m[4]}${m[5]}00` } : raw;
    return registered.map(fixed, ctx);
  },
};

export const fixedGetAdapter = (id: string) => (id === 'dvcqg-file' ? fixedAdapter : getAdapter(id));

export interface DashboardFixture extends Spine {
  /** The first synced dossier, with the citizen's ID number, phone and e-mail. */
  sampleCode: string;
  reconciliationId: string;
}

export async function startDashboardFixture(count = 30): Promise<DashboardFixture> {
  const spine = await startSpine({ count });
  await spine.writeExport('0002.ndjson', [
    { ...recode(A, LATE_DUE_CODE), NgayHenTra: '30/10/2026 17:00', SoGiayToChuHoSo: CITIZEN_ID, SoDienThoai: PHONE, Email: EMAIL },
    { ...recode(B, NO_PROCEDURE_CODE), MaTTHC: '' },
  ]);
  const sample = spine.records[0];
  if (!sample) throw new Error('no generated dossier');
  sample.SoGiayToChuHoSo = CITIZEN_ID;
  sample.SoDienThoai = PHONE;
  sample.Email = EMAIL;
  await spine.writeExport('0001.ndjson', spine.records);
  await runSync(spine.ledger, spine.config, { env: spine.env });
  // A delivery the portal kept refusing: the outbox gave up on it.
  await spine.ledger.rows(sql`update deliveries set status = 'dead', attempts = 8,
    last_error = ${`portal rejected the call (error_code -2): liên hệ ${PHONE}`}
    where dossier_id = (select id from dossiers where code = ${spine.records[1]?.MaHoSo ?? ''})`);
  const report = await reconcile(spine.ledger, spine.config, { targetId: 'national', from: '2026-10-01', to: '2026-10-31', env: spine.env, now: NOW });
  return { ...spine, sampleCode: sample.MaHoSo, reconciliationId: report.id };
}
