import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { PortalDossier } from '../../schemas/portal.ts';
import { startPortalSim, type PortalSim, type StartPortalSimOptions } from './index.ts';

const dossierA = JSON.parse(readFileSync(new URL('../../test/fixtures/contract/a-dongbo-first-push.json', import.meta.url), 'utf8')).data[0] as PortalDossier;
const LOGIN = JSON.stringify({ username: 'lienthong', password: 'secret' });

const sims: PortalSim[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

async function start(opts: StartPortalSimOptions = {}): Promise<PortalSim> {
  const sim = await startPortalSim({ port: 0, ...opts });
  sims.push(sim);
  return sim;
}

const postLogin = (sim: PortalSim, init: RequestInit = {}) => fetch(`${sim.url}/auth`, { method: 'POST', body: LOGIN, ...init });
const pushBare = (sim: PortalSim) =>
  fetch(`${sim.url}/DongBoHoSoMC?MaDinhDanhDV=000.00.00.H56&isUpdating=False`, { method: 'POST', body: JSON.stringify([dossierA]) });

describe('startPortalSim', () => {
  it('listens on loopback on a free port', async () => {
    const sim = await start();
    expect(sim.url).toBe(`http://127.0.0.1:${sim.port}`);
    expect(sim.port).toBeGreaterThan(0);
    const json = (await (await postLogin(sim)).json()) as { error_code: number; session: string };
    expect(json.error_code).toBe(0);
    expect(json.session).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('checks custom credentials', async () => {
    const sim = await start({ username: 'motcua_h56', password: 'p@ss' });
    expect(((await (await postLogin(sim)).json()) as { error_code: unknown }).error_code).toBe('-1');
  });

  it('answers 503 without storing anything', async () => {
    const sim = await start({ faults: { p503: 1 } });
    expect((await pushBare(sim)).status).toBe(503);
    expect(sim.stats().dossiers).toBe(0);
    expect(sim.stats().calls.DongBoHoSoMC).toEqual({ fault_503: 1 });
  });

  it('answers 429 with the configured Retry-After', async () => {
    const sim = await start({ faults: { p429: 1, retryAfterSeconds: 7 } });
    const res = await postLogin(sim);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
  });

  it('resets the connection', async () => {
    const sim = await start({ faults: { pReset: 1 } });
    await expect(postLogin(sim)).rejects.toThrow(/fetch failed/);
    expect(sim.stats().calls.login).toEqual({ fault_reset: 1 });
  });

  it('hangs for hangMs and then answers 504 without storing', async () => {
    const sim = await start({ faults: { pHang: 1, hangMs: 300 } });
    const t0 = performance.now();
    const res = await pushBare(sim);
    expect(res.status).toBe(504);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(280);
    expect(sim.stats().dossiers).toBe(0);
  });

  it('closes promptly while a call hangs', async () => {
    const sim = await start({ faults: { pHang: 1, hangMs: 60_000 } });
    const pending = postLogin(sim).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    await sim.close();
    expect(performance.now() - t0).toBeLessThan(2000);
    await pending;
  });

  it('stores a push whose acknowledgement it then loses', async () => {
    const sim = await start({ faults: { pLostAck: 1 }, seed: 3 });
    const outcome = await pushBare(sim).then((r) => r.status, () => 'reset');
    expect([502, 'reset']).toContain(outcome);
    expect(sim.dossier(dossierA.MaHoSo)?.pushes).toBe(1);
    expect(sim.stats().calls.DongBoHoSoMC).toEqual({ fault_lost_ack: 1 });
  });

  it('adds fixed latency', async () => {
    const sim = await start({ faults: { latencyMs: 200 } });
    const t0 = performance.now();
    await postLogin(sim);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
  });

  it('replays the same faults for the same seed, and changes with setFaults', async () => {
    const run = async (seed: number) => {
      const sim = await start({ faults: { p503: 0.5 }, seed });
      const statuses: number[] = [];
      for (let i = 0; i < 16; i += 1) statuses.push((await postLogin(sim)).status);
      sim.setFaults({});
      statuses.push((await postLogin(sim)).status);
      return statuses;
    };
    const a = await run(42);
    expect(await run(42)).toEqual(a);
    expect(a).toContain(503);
    expect(a).toContain(200);
    expect(a.at(-1)).toBe(200);
  });

  it('expires sessions on demand with pExpireSession', async () => {
    const sim = await start({ faults: { pExpireSession: 1 } });
    const { session } = (await (await postLogin(sim)).json()) as { session: string };
    const res = await fetch(`${sim.url}/service`, {
      method: 'POST',
      body: JSON.stringify({ session, madonvi: '000.00.00.H56', service: 'TraCuuHoSo', mahoso: 'x' }),
    });
    expect(((await res.json()) as { message: string }).message).toContain('Phiên làm việc');
  });
});
