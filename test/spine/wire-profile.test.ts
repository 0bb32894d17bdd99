/**
 * The target's wire profile against the portal simulator on loopback (which refuses a text longer
 * than the portal accepts, as real portals do): texts cut with a warning or held, MaHoSo prefix
 * policy, progress padding. The ledger always keeps the record as the source gave it.
 */
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { cutText, DEFAULT_TEXT_LIMITS, prepareWire } from '../../src/dossier/wire-policy.ts';
import { portalToDossier } from '../../src/dossier/index.ts';
import { generateDossiers } from '../../src/demo/generate.ts';
import { getDossierDetail } from '../../src/ledger/queries.ts';
import { retryDeliveries } from '../../src/outbox/manage.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { startSpine, type Spine } from '../support/spine.ts';

let spine: Spine | undefined;
afterEach(async () => {
  await spine?.close();
  spine = undefined;
});

const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

describe('cutText', () => {
  it('cuts to the limit on a character boundary: never inside a surrogate pair or a combining sequence', () => {
    expect(cutText('Nguyễn Văn An', 6)).toBe('Nguyễn');
    // 😀 is two UTF-16 units: a limit that falls inside it leaves it out whole.
    expect(cutText('ab😀cd', 3)).toBe('ab');
    expect(cutText('ab😀cd', 4)).toBe('ab😀');
    // "ệ" written as e + U+0302 + U+0323 in a script NFC cannot fully compose: a base and its marks stay together.
    const decomposedQ = 'aq\u0323\u0302b';
    expect(cutText(decomposedQ, 3)).toBe('a');
    expect(cutText(decomposedQ, 4)).toBe('aq\u0323\u0302');
    // Decomposed Vietnamese is recomposed (NFC) and counted composed.
    expect(cutText('Vie\u0323\u0302t Nam', 4)).toBe('Việt');
    // A first "letter" longer than the limit (a run of marks) is cut on a code point boundary, not sent empty.
    expect(cutText('a' + '\u0301'.repeat(10), 3)).toBe('\u00e1\u0301\u0301'); // NFC: á + two of the nine marks left
  });

  it('measures a decomposed text as sent (NFC): no cut and no warning when the composed text fits', () => {
    const [record] = [...generateDossiers({ count: 1, seed: 41 })];
    const dossier = portalToDossier(record!);
    const composed = 'Việt '.repeat(400); // 2000 characters composed, 2800 decomposed
    const decomposed = composed.normalize('NFD');
    expect(decomposed.length).toBeGreaterThan(2000);
    const prepared = prepareWire({ ...dossier, note: decomposed });
    expect(prepared.warnings.filter((w) => w.path === 'GhiChu')).toEqual([]);
    expect(prepared.wire['GhiChu']).toBe(composed);
  });
});

describe('text limits on the wire (targets[].limits, targets[].overLength)', () => {
  it('delivers a dossier with an over-long note cut to 2000 characters, keeps the full text, warns and counts it', async () => {
    spine = await startSpine({ count: 3 });
    const [a, b] = spine.records;
    const note = `${'Ghi chú dài về hồ sơ. '.repeat(120)}😀 kết thúc`;
    const summary = `Trích yếu ${'x'.repeat(1200)}`;
    await spine.writeExport('0001.ndjson', [{ ...a, GhiChu: note }, { ...b, TrichYeuHoSo: summary }, spine.records[2]]);
    const s = await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(s.targets[0]).toMatchObject({ delivered: 3, dead: 0, pending: 0, truncated: 2 });
    expect(s.sources[0]).toMatchObject({ quarantined: 0 });

    const sent = spine.sim.dossier(a!.MaHoSo)!.record;
    expect(sent.GhiChu).toBe(cutText(note, 2000));
    expect((sent.GhiChu as string).length).toBeLessThanOrEqual(2000);
    expect(note.normalize('NFC').startsWith(sent.GhiChu as string)).toBe(true);
    expect(spine.sim.dossier(b!.MaHoSo)!.record.TrichYeuHoSo).toBe(summary.slice(0, 1000));

    const [detail] = await getDossierDetail(spine.ledger, a!.MaHoSo);
    expect((detail!.canonical as { note: string }).note).toBe(note.normalize('NFC'));
    const answer = detail!.deliveries[0]!['last_answer'] as { warnings: Array<Record<string, unknown>> };
    expect(detail!.deliveries[0]!['status']).toBe('delivered');
    expect(answer.warnings).toEqual([expect.objectContaining({ kind: 'truncated', path: 'GhiChu', length: note.normalize('NFC').length, limit: 2000 })]);
    // The run summary stored with the run carries the count too.
    const [run] = await spine.ledger.rows<{ summary: unknown }>(sql`select summary from runs where id = ${s.runId}::uuid`);
    expect((json(run!.summary) as { targets: Array<{ truncated?: number }> }).targets[0]!.truncated).toBe(2);
  });

  it('cuts a handler name in the progress stream (NguoiXuLy 50) and a limit of targets[].limits', async () => {
    spine = await startSpine({ count: 1, target: { limits: { DonViXuLy: 5 } } });
    const [a] = spine.records;
    const handler = 'Nguyễn '.repeat(12);
    await spine.writeExport('0001.ndjson', [{ ...a, QuaTrinhXuLy: a!.QuaTrinhXuLy!.map((p, i) => (i === 0 ? { ...p, NguoiXuLy: handler } : p)) }]);
    const s = await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(s.targets[0]).toMatchObject({ delivered: 1, truncated: 1 });
    const held = spine.sim.dossier(a!.MaHoSo)!;
    expect(held.progress[0]!.NguoiXuLy).toBe(handler.slice(0, DEFAULT_TEXT_LIMITS['NguoiXuLy']));
    expect(held.record.DonViXuLy).toBe(a!.DonViXuLy.slice(0, 5));
  });

  it('overLength "quarantine" holds the delivery naming the dossier and the field; fixed and retried, it is delivered', async () => {
    spine = await startSpine({ count: 2, target: { overLength: 'quarantine' } });
    const [a, b] = spine.records;
    const note = 'Ghi chú '.repeat(400);
    await spine.writeExport('0001.ndjson', [{ ...a, GhiChu: note }, b]);
    const s = await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(s.exitCode).toBe(2);
    expect(s.targets[0]).toMatchObject({ delivered: 1, dead: 1 });
    expect(spine.sim.dossier(a!.MaHoSo)).toBeUndefined();
    const [row] = await spine.ledger.rows<{ status: string; last_error: string }>(sql`
      select q.status, q.last_error from deliveries q join dossiers d on d.id = q.dossier_id where d.code = ${a!.MaHoSo}`);
    expect(row!.status).toBe('dead');
    expect(row!.last_error).toContain(a!.MaHoSo);
    expect(row!.last_error).toContain(`GhiChu ${note.length} > 2000`);

    // Fixed in the configuration (cut after all), then `deliveries retry`.
    const fixed = { ...spine.config, targets: [{ ...spine.config.targets[0]!, overLength: 'truncate' as const }] };
    expect((await retryDeliveries(spine.ledger, { target: 'national' })).requeued).toBe(1);
    const again = await runSync(spine.ledger, fixed, { env: spine.env });
    expect(again.targets[0]).toMatchObject({ delivered: 1, dead: 0, truncated: 1 });
    expect(spine.sim.dossier(a!.MaHoSo)!.record.GhiChu).toBe(cutText(note, 2000));
  });

  it('a held delivery is sent again when the source fixes the text (a new version)', async () => {
    spine = await startSpine({ count: 1, target: { overLength: 'quarantine' } });
    const [a] = spine.records;
    await spine.writeExport('0001.ndjson', [{ ...a, GhiChu: 'x'.repeat(2001) }]);
    expect((await runSync(spine.ledger, spine.config, { env: spine.env })).targets[0]).toMatchObject({ dead: 1 });
    await spine.writeExport('0002.ndjson', [{ ...a, GhiChu: 'Đã rút gọn' }]);
    expect((await runSync(spine.ledger, spine.config, { env: spine.env })).targets[0]).toMatchObject({ delivered: 1, dead: 0 });
    expect(spine.sim.dossier(a!.MaHoSo)!.record.GhiChu).toBe('Đã rút gọn');
  });
});

describe('MaHoSo prefix policy (targets[].codePrefix)', () => {
  const foreign = 'HS-2026-000123';

  it('reports a code whose first segment is not a unit code of the province (default), sending it as it is', async () => {
    spine = await startSpine({ count: 2 });
    const [a, b] = spine.records;
    await spine.writeExport('0001.ndjson', [{ ...a, MaHoSo: foreign, QuaTrinhXuLy: a!.QuaTrinhXuLy!.map((p) => ({ ...p, MaHoSo: foreign })) }, b]);
    const s = await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(s.targets[0]).toMatchObject({ delivered: 2, codePrefix: 1 });
    expect(spine.sim.dossier(foreign)).toBeDefined();
    const [detail] = await getDossierDetail(spine.ledger, foreign);
    const answer = detail!.deliveries[0]!['last_answer'] as { warnings: Array<Record<string, unknown>> };
    expect(answer.warnings).toEqual([expect.objectContaining({ kind: 'code_prefix', path: 'MaHoSo', message: expect.stringContaining('H48') })]);
  });

  it('"keep" says nothing; "rewrite" sends <unit code>-<original> with the original in MaHoSoKhac, progress included', async () => {
    spine = await startSpine({ count: 1, target: { codePrefix: 'rewrite' } });
    const [a] = spine.records;
    await spine.writeExport('0001.ndjson', [{ ...a, MaHoSo: foreign, QuaTrinhXuLy: a!.QuaTrinhXuLy!.map((p) => ({ ...p, MaHoSo: foreign })) }]);
    const s = await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(s.targets[0]).toMatchObject({ delivered: 1, codePrefix: 1 });
    // The dossier's own unit is unknown (its code carries none): the target's unit code is used.
    const unit = spine.config.targets[0]!.unitCode;
    const held = spine.sim.dossier(`${unit}-${foreign}`)!;
    expect((held.record as Record<string, unknown>)['MaHoSoKhac']).toBe(foreign);
    expect(held.progress.every((p) => p.MaHoSo === `${unit}-${foreign}`)).toBe(true);
    expect(held.progress).toHaveLength(a!.QuaTrinhXuLy!.length);
    // The ledger keeps the code the source gave.
    expect(await getDossierDetail(spine.ledger, foreign)).toHaveLength(1);
  });

  it('"keep" sends the code with no warning', async () => {
    spine = await startSpine({ count: 1, target: { codePrefix: 'keep' } });
    const [a] = spine.records;
    await spine.writeExport('0001.ndjson', [{ ...a, MaHoSo: foreign, QuaTrinhXuLy: a!.QuaTrinhXuLy!.map((p) => ({ ...p, MaHoSo: foreign })) }]);
    const s = await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(s.targets[0]).toEqual({ id: 'national', delivered: 1, failedAttempts: 0, pending: 0, dead: 0 });
  });
});

describe('progress padding (targets[].padProgress)', () => {
  it('adds a status-2 item at reception when the source sent none, and an end item at the finish date', async () => {
    spine = await startSpine({ count: 1, target: { padProgress: true } });
    const [a] = spine.records;
    const finished = '20261020160000';
    const rec = { ...a, TrangThaiHoSo: '9', NgayKetThucXuLy: finished, QuaTrinhXuLy: a!.QuaTrinhXuLy!.filter((p) => p.TrangThai !== '2') };
    expect(rec.QuaTrinhXuLy.length).toBeGreaterThan(0);
    await spine.writeExport('0001.ndjson', [rec]);
    const s = await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(s.targets[0]).toMatchObject({ delivered: 1 });
    const progress = spine.sim.dossier(a!.MaHoSo)!.progress;
    expect(progress).toHaveLength(rec.QuaTrinhXuLy.length + 2);
    expect(progress[0]).toMatchObject({ TrangThai: '2', ThoiDiemXuLy: a!.NgayTiepNhan, NgayBatDau: a!.NgayTiepNhan });
    expect(progress.at(-1)).toMatchObject({ TrangThai: '9', ThoiDiemXuLy: finished });
    // The ledger keeps the source's progress.
    const [detail] = await getDossierDetail(spine.ledger, a!.MaHoSo);
    expect((detail!.canonical as { progress: unknown[] }).progress).toHaveLength(rec.QuaTrinhXuLy.length);
  });

  it('off by default: the progress goes as the source sent it', async () => {
    spine = await startSpine({ count: 1 });
    const [a] = spine.records;
    const rec = { ...a, TrangThaiHoSo: '9', NgayKetThucXuLy: '20261020160000', QuaTrinhXuLy: a!.QuaTrinhXuLy!.filter((p) => p.TrangThai !== '2') };
    await spine.writeExport('0001.ndjson', [rec]);
    await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(spine.sim.dossier(a!.MaHoSo)!.progress).toHaveLength(rec.QuaTrinhXuLy.length);
  });
});
