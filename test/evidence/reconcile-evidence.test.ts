/**
 * `reconcile --evidence DIR`: a bundle per missing_on_portal / portal_stale dossier, linked from the
 * HTML report, and `lienthong evidence verify` on it offline (exit 0 / 2 / 1).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../schemas/config.ts';
import { allPublicKeys, spkiToPem, verifyBundle, type Bundle } from '../../src/evidence/index.ts';
import { bundleFileName, writeReconcileEvidence } from '../../src/reconcile/evidence.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { toHtml } from '../../src/reconcile/report-formats.ts';
import { reconcile } from '../../src/reconcile/run.ts';
import { cli } from '../support/cli.ts';
import { startSpine, type Spine } from '../support/spine.ts';

let spine: Spine | undefined;
afterEach(async () => {
  await spine?.close();
  spine = undefined;
});

describe('reconcile --evidence', () => {
  it('writes a bundle for every dossier missing on the portal or stale there, and the HTML report links it', async () => {
    spine = await startSpine({ count: 30 });
    const s = spine;
    const t = s.config.targets[0]!;
    t.reporting = { baseUrl: s.sim.url, rootDepartmentId: '019d2be3-6a88-732b-8b17-b68020c8553a', pageSize: 100 };
    const config: Config = { ...s.config, evidence: { ...s.config.evidence, keyFile: join(s.dir, 'keys', 'k.pem') } };
    expect((await runSync(s.ledger, config, { env: s.env })).exitCode).toBe(0);
    const unitOf = (code: string) => code.split('-')[0];
    const a = s.records[0]!;
    const b = s.records.find((r) => r !== a && unitOf(r.MaHoSo) === unitOf(a.MaHoSo) && r.TrangThaiHoSo !== '4')!;
    expect(s.sim.forget(a.MaHoSo)).toBe(true);
    expect(s.sim.patch(b.MaHoSo, { TrangThaiHoSo: '4' })).toBe(true);
    const report = await reconcile(s.ledger, config, { targetId: 'national', from: '2026-10-01', to: '2026-10-31', env: s.env });
    expect(Object.fromEntries(report.differences.map((d) => [d.code, d.reason]))).toEqual({ [a.MaHoSo]: 'missing_on_portal', [b.MaHoSo]: 'portal_stale' });

    const dir = join(s.dir, 'bang-chung');
    const out = join(s.dir, 'doi-soat.html');
    const ev = await writeReconcileEvidence(s.ledger, config, report, dir, { reportFile: out });
    expect(ev.written.sort()).toEqual([a.MaHoSo, b.MaHoSo].map((c) => join(dir, bundleFileName(c, 'national'))).sort());
    const html = toHtml(report);
    for (const c of [a.MaHoSo, b.MaHoSo]) expect(html).toContain(`href="bang-chung/${bundleFileName(c, 'national')}"`);

    const keys = await allPublicKeys(config.evidence!.keyFile!);
    const file = join(dir, bundleFileName(a.MaHoSo, 'national'));
    const bundle = JSON.parse(await readFile(file, 'utf8')) as Bundle;
    expect(bundle.dossierCode).toBe(a.MaHoSo);
    expect(verifyBundle(bundle, keys).ok).toBe(true);
    // What was sent is there: the dossier's DongBoHoSoMC, acknowledged "0".
    const push = bundle.targets[0]!.segments.flatMap((g) => g.entries).find((e) => 'receipt' in e && e.receipt.service === 'DongBoHoSoMC') as { receipt: Bundle['targets'][0]['segments'][0]['entries'][0] & { requestBody: string; outcome: string } } | undefined;
    expect(push?.receipt.outcome).toBe('ok');
    expect(push?.receipt.requestBody).toContain(a.MaHoSo);

    // The CLI, offline: 0 verified, 2 refused naming the place, 1 on an unreadable file.
    const pem = join(s.dir, 'keys.pem');
    await writeFile(pem, keys.map(spkiToPem).join(''));
    const ok = await cli('evidence', 'verify', file, '--public-key', pem);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/verified/);
    const tampered = JSON.parse(JSON.stringify(bundle)) as Bundle;
    const first = tampered.targets[0]!.segments[0]!.entries.find((e) => 'receipt' in e && e.receipt.service === 'DongBoHoSoMC') as { receipt: { message: string | null } };
    first.receipt.message = 'Hồ sơ không hợp lệ';
    const bad = join(s.dir, 'tampered.json');
    await writeFile(bad, JSON.stringify(tampered));
    const refused = await cli('evidence', 'verify', bad, '--public-key', pem);
    expect(refused.code).toBe(2);
    expect(refused.out).toMatch(/targets\[0\] \(national\)\.segments\[0\]\.entries\[\d+\] \(receipt seq \d+, DongBoHoSoMC sent .*\): the content/);
    expect((await cli('evidence', 'verify', join(s.dir, 'absent.json'))).code).toBe(1);
  });
});
