/**
 * The demo behind `npm start`: a bundled sample local system (generated export files), the portal
 * simulator on loopback with a few injected faults, and one real sync run on the embedded PGlite.
 * Each later run changes some dossiers at the "local system", so a rerun shows coalesced updates.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../../schemas/config.ts';
import type { PortalDossierWithProgress } from '../../schemas/portal.ts';
import { parseConfig } from '../config.ts';
import { instantToPortalDate } from '../dossier/time.ts';
import { openLedger, resolveDatabaseUrl } from '../ledger/db.ts';
import { runSync, type RunSummary } from '../pipeline/sync.ts';
import { startPortalSim, type SimFaults } from '../portal-sim/index.ts';
import { generateDossiers } from './generate.ts';

export interface DemoOptions {
  dir: string;
  count: number;
  faults: SimFaults;
  env: Record<string, string | undefined>;
}

export interface DemoResult {
  summary: RunSummary;
  portalDossiers: number;
  exportFile: string;
}

const toNdjson = (records: Iterable<unknown>) => [...records].map((r) => JSON.stringify(r)).join('\n') + '\n';

/** Writes the sample export on the first run; on later runs, an update file moving some dossiers on. */
async function prepareExports(exportsDir: string, count: number): Promise<string> {
  await mkdir(exportsDir, { recursive: true });
  const existing = (await readdir(exportsDir)).filter((f) => f.endsWith('.ndjson')).sort();
  if (existing.length === 0) {
    const file = join(exportsDir, '0001-motcua-export.ndjson');
    await writeFile(file, toNdjson(generateDossiers({ count, seed: 2026 })));
    return file;
  }
  // The local system moves a tenth of the open dossiers to "Đã trả kết quả" (10).
  const n = existing.length + 1;
  const now = new Date().toISOString();
  const updates: PortalDossierWithProgress[] = [];
  for (const d of generateDossiers({ count, seed: 2026 })) {
    if (d.TrangThaiHoSo === '9' || d.TrangThaiHoSo === '10' || updates.length >= Math.ceil(count / 10)) continue;
    if ((d.MaHoSo.charCodeAt(d.MaHoSo.length - 1) + n) % 3 !== 0) continue;
    const at = instantToPortalDate(now);
    updates.push({
      ...d,
      TrangThaiHoSo: '10',
      NgayKetThucXuLy: at,
      NgayTra: at,
      QuaTrinhXuLy: [
        ...(d.QuaTrinhXuLy ?? []),
        { MaHoSo: d.MaHoSo, NguoiXuLy: 'Nguyễn Thị Lan', ChucDanh: 'Công chức Bộ phận Một cửa', ThoiDiemXuLy: at, PhongBanXuLy: 'Bộ phận Một cửa', NoiDungXuLy: 'Trả kết quả', TrangThai: '10', NgayBatDau: at, NgayKetThucTheoQuyDinh: d.NgayHenTra ?? '' },
      ],
    });
  }
  const file = join(exportsDir, `${String(n).padStart(4, '0')}-motcua-updates.ndjson`);
  await writeFile(file, toNdjson(updates));
  return file;
}

export function demoConfig(dir: string, baseUrl: string): Config {
  return parseConfig(
    {
      database: `pglite:${join(dir, 'db')}`,
      sources: [{ id: 'demo-motcua', adapter: 'dvcqg-file', options: { path: join(dir, 'exports') }, pageSize: 200 }],
      targets: [
        {
          id: 'national',
          kind: 'dvcqg',
          style: 'session',
          baseUrl,
          loginPath: '/auth',
          servicePath: '/service',
          unitCode: '000.00.00.H48',
          username: 'lienthong',
          passwordEnv: 'LIENTHONG_DEMO_PASSWORD',
          concurrency: 4,
          ratePerSecond: 200,
          timeoutMs: 5000,
          retry: { maxAttempts: 8, minDelayMs: 100, maxDelayMs: 2000 },
        },
      ],
      sync: { deadlineMs: 120_000, leaseMs: 30_000 },
    },
    'demo configuration',
  );
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const exportFile = await prepareExports(join(options.dir, 'exports'), options.count);
  const sim = await startPortalSim({ port: 0, faults: options.faults, seed: 7, username: 'lienthong', password: 'demo-secret' });
  try {
    const config = demoConfig(options.dir, sim.url);
    // Written out so that `lienthong dossier show … --config <dir>/lienthong.config.json` works after the demo.
    await writeFile(join(options.dir, 'lienthong.config.json'), JSON.stringify({ ...config, targets: [] }, null, 2) + '\n');
    const ledger = await openLedger(resolveDatabaseUrl(config.database, { DATABASE_URL: options.env['DATABASE_URL'] }));
    try {
      const summary = await runSync(ledger, config, { env: { ...options.env, LIENTHONG_DEMO_PASSWORD: 'demo-secret' } });
      return { summary, portalDossiers: sim.stats().dossiers, exportFile };
    } finally {
      await ledger.close();
    }
  } finally {
    await sim.close();
  }
}

export const isFirstDemoRun = (dir: string) => !existsSync(join(dir, 'exports'));
