/**
 * A portal that refuses every look-up is not asked ten thousand times: after 20 failed look-ups in
 * a row reconcile stops asking, says so, and counts the dossiers not asked as not compared (their
 * units are not compared with the portal), never as equal. Failures between answers do not stop it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { TargetConfig } from '../../schemas/config.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { reconcile } from '../../src/reconcile/run.ts';
import { startSpine, type Spine } from '../support/spine.ts';

let spine: Spine | undefined;
let stub: Server | undefined;
afterEach(async () => {
  await new Promise((r) => (stub ? stub.close(r) : r(null)));
  stub = undefined;
  await spine?.close();
  spine = undefined;
});

const OCTOBER = { from: '2026-10-01', to: '2026-10-31' };
const FIELDS = ['MaHoSo', 'TrangThaiHoSo', 'NgayTiepNhan', 'NgayHenTra', 'NgayKetThucXuLy', 'NgayTra', 'DonViXuLy'] as const;

/** A bare-array proxy: `fails(code)` answers 400, else the record the simulator holds. Counts requests. */
async function bareTarget(s: Spine, fails: (code: string) => boolean): Promise<{ config: typeof s.config; requests: () => number }> {
  let requests = 0;
  stub = createServer((req, res) => {
    requests++;
    const code = new URL(req.url ?? '/', 'http://x').searchParams.get('mahoso') ?? '';
    if (fails(code)) {
      res.statusCode = 400;
      res.end('Bad Request');
      return;
    }
    const held = s.sim.dossier(code)!.record as Record<string, unknown>;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ error_code: '0', message: 'Thành công', result: [Object.fromEntries(FIELDS.map((k) => [k, held[k] ?? '']))] }));
  });
  await new Promise<void>((r) => stub!.listen(0, '127.0.0.1', r));
  const t = s.config.targets[0]!;
  const bare = { ...t, style: 'bare-array', baseUrl: `http://127.0.0.1:${(stub.address() as AddressInfo).port}`, lookupPath: '/TraCuuHoSo' } as Record<string, unknown>;
  delete bare['username'];
  delete bare['passwordEnv'];
  return { config: { ...s.config, targets: [bare as unknown as TargetConfig] }, requests: () => requests };
}

describe('reconcile look-ups against a portal that refuses them', () => {
  it('stops after 20 failures in a row, and reports the rest as not asked, their units not compared', async () => {
    spine = await startSpine({ count: 40 });
    expect((await runSync(spine.ledger, spine.config, { env: spine.env })).exitCode).toBe(0);
    const { config, requests } = await bareTarget(spine, () => true);
    const report = await reconcile(spine.ledger, config, { targetId: 'national', ...OCTOBER, env: spine.env, deep: true, store: false });
    const planned = report.stats.portal.lookupsPlanned;
    expect(planned).toBeGreaterThan(30);
    // Twenty in a row, plus what the other callers (concurrency 4) had already started.
    expect(report.stats.portal.lookups).toBeGreaterThanOrEqual(20);
    expect(report.stats.portal.lookups).toBeLessThan(20 + 4);
    expect(requests()).toBe(report.stats.portal.lookups);
    expect(report.stats.portal.lookupsSkipped).toBe(planned - report.stats.portal.lookups);
    expect(report.notes.join('\n')).toMatch(/look-ups stopped: \d+ look-ups failed in a row \(last: .*400.*\); \d+ not asked/);
    expect(report.stats.portal.unitsLookedUp).toEqual([]);
    expect(report.exitCode).not.toBe(0);
  });

  it('keeps asking when failures come between answers', async () => {
    spine = await startSpine({ count: 40 });
    expect((await runSync(spine.ledger, spine.config, { env: spine.env })).exitCode).toBe(0);
    const codes = spine.records.map((r) => r.MaHoSo);
    const { config, requests } = await bareTarget(spine, (code) => codes.indexOf(code) % 3 !== 0);
    const report = await reconcile(spine.ledger, config, { targetId: 'national', ...OCTOBER, env: spine.env, deep: true, store: false });
    expect(report.stats.portal.lookups).toBe(report.stats.portal.lookupsPlanned);
    expect(requests()).toBe(report.stats.portal.lookupsPlanned);
    expect(report.notes.join('\n')).not.toContain('look-ups stopped');
  });
});
