/**
 * `lienthong ledger verify` and `lienthong evidence export|verify` as scripts use them (run
 * in-process, like test/cli): exit 0 on a clean ledger, 2 naming the receipt and the place on a
 * deleted, reordered or edited receipt; receipts from before the chain (migration 0007) counted as
 * unchained, never as tampering, in ledger verify and in bundles. On PGlite, or on PostgreSQL with
 * DATABASE_URL.
 */
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDossiers } from '../../src/demo/generate.ts';
import type { Bundle } from '../../src/evidence/index.ts';
import { openLedger, type Ledger } from '../../src/ledger/db.ts';
import { startPortalSim, type PortalSim } from '../../src/portal-sim/index.ts';
import { cli } from '../support/cli.ts';
import { createPostgresDatabase } from '../support/ledger.ts';

let dir: string;
let sim: PortalSim;
let pg: Awaited<ReturnType<typeof createPostgresDatabase>>;
const savedUrl = process.env['DATABASE_URL'];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lt-ledger-verify-'));
  sim = await startPortalSim({ port: 0, username: 'lienthong', password: 'pw-bi-mat' });
  pg = await createPostgresDatabase();
  if (pg) process.env['DATABASE_URL'] = pg.url;
  process.env['NATIONAL_PASSWORD'] = 'pw-bi-mat';
});
afterEach(async () => {
  process.env['DATABASE_URL'] = savedUrl;
  if (savedUrl === undefined) delete process.env['DATABASE_URL'];
  delete process.env['NATIONAL_PASSWORD'];
  await sim.close();
  await pg?.drop();
  await rm(dir, { recursive: true, force: true });
});

/** A synced ledger: 3 dossiers pushed (a login, then a dossier and a progress call each), its head signed. */
async function synced(): Promise<{ config: string; codes: string[] }> {
  await mkdir(join(dir, 'exports'), { recursive: true });
  const records = [...generateDossiers({ count: 3, seed: 11 })];
  await writeFile(join(dir, 'exports', 'a.ndjson'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const config = join(dir, 'lienthong.config.json');
  await writeFile(
    config,
    JSON.stringify({
      database: `pglite:${join(dir, 'db')}`,
      sources: [{ id: 'qt-motcua', adapter: 'dvcqg-file', options: { path: join(dir, 'exports') } }],
      targets: [{ id: 'national', kind: 'dvcqg', style: 'session', baseUrl: sim.url, unitCode: '000.00.00.H48', username: 'lienthong', passwordEnv: 'NATIONAL_PASSWORD', concurrency: 1, retry: { maxAttempts: 3, minDelayMs: 10, maxDelayMs: 50 } }],
      evidence: { keyFile: join(dir, 'keys', 'signing-key.pem') },
    }),
  );
  const sync = await cli('sync', '--config', config);
  expect(sync.code, sync.out + sync.err).toBe(0);
  return { config, codes: records.map((r) => r.MaHoSo) };
}

/** Opens the same ledger as the CLI between commands (PGlite: one opener at a time; the CLI migrated it). */
async function withDb<T>(fn: (l: Ledger) => Promise<T>): Promise<T> {
  const l = await openLedger(pg ? pg.url : `pglite:${join(dir, 'db')}`, { migrate: false });
  try {
    return await fn(l);
  } finally {
    await l.close();
  }
}

const chain = () => withDb((l) => l.rows<{ id: number; seq: number; message: string | null }>(sql`select id::int as id, seq::int as seq, message from receipts order by seq`));

describe('lienthong ledger verify', () => {
  it('exits 0 on a clean ledger, 2 naming the receipt on an edited, reordered or deleted one', async () => {
    const { config } = await synced();
    const receipts = await chain();
    expect(receipts.length).toBeGreaterThanOrEqual(7);
    const clean = await cli('ledger', 'verify', '--config', config);
    expect(clean.code, clean.out + clean.err).toBe(0);
    expect(clean.out).toContain(`✓ national: ${receipts.length} receipt(s) verified, 1 checkpoint(s), signed up to seq ${receipts.length}`);

    // A receipt's message edited: "content", with its seq and row id.
    const edited = receipts[2]!;
    await withDb((l) => l.rows(sql`update receipts set message = 'Thành công' where id = ${edited.id}`));
    const content = await cli('ledger', 'verify', '--config', config);
    expect(content.code).toBe(2);
    expect(content.out).toContain(`✗ national: receipt seq ${edited.seq} (#${edited.id}) does not verify [content]`);
    const json = await cli('ledger', 'verify', '--config', config, '--json');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.out)).toMatchObject({ ok: false, targets: [{ target: 'national', ok: false, problem: { seq: edited.seq, receiptId: edited.id, place: 'content' } }] });
    await withDb((l) => l.rows(sql`update receipts set message = ${edited.message} where id = ${edited.id}`));
    expect((await cli('ledger', 'verify', '--config', config)).code).toBe(0);

    // Two receipts swapped: the first of them breaks the link.
    const [a, b] = [receipts[3]!, receipts[4]!];
    const swap = (x: { id: number; seq: number }, y: { id: number; seq: number }) =>
      withDb(async (l) => {
        await l.rows(sql`update receipts set seq = -1 where id = ${x.id}`);
        await l.rows(sql`update receipts set seq = ${x.seq} where id = ${y.id}`);
        await l.rows(sql`update receipts set seq = ${y.seq} where id = ${x.id}`);
      });
    await swap(a, b);
    const reordered = await cli('ledger', 'verify', '--config', config);
    expect(reordered.code).toBe(2);
    expect(reordered.out).toContain(`✗ national: receipt seq ${a.seq} (#${b.id}) does not verify [link]`);
    await swap({ id: a.id, seq: b.seq }, { id: b.id, seq: a.seq });
    expect((await cli('ledger', 'verify', '--config', config)).code).toBe(0);

    // A receipt deleted: its seq is named missing, with the receipt that follows the gap.
    const gone = receipts[1]!;
    await withDb((l) => l.rows(sql`delete from receipts where id = ${gone.id}`));
    const deleted = await cli('ledger', 'verify', '--config', config);
    expect(deleted.code).toBe(2);
    expect(deleted.out).toContain(`✗ national: receipt seq ${gone.seq} does not verify [missing]: receipt seq ${gone.seq} is missing (the next one is seq ${gone.seq + 1}, receipt #${receipts[2]!.id}): deleted`);
    // A configuration that cannot be read is an error, not a verdict.
    expect((await cli('ledger', 'verify', '--config', join(dir, 'absent.json'))).code).toBe(1);
  }, 300_000);

  it('counts receipts written before the evidence chain as unchained, never as tampering, in ledger verify and in bundles', async () => {
    const { config, codes } = await synced();
    const code = codes[0]!;
    // As migration 0007 found them: no content hash, no MaHoSo column, no link (the trigger leaves them out).
    await withDb(async (l) => {
      const [d] = await l.rows<{ id: number }>(sql`select id::int as id from dossiers where code = ${code}`);
      for (const message of ['Thành công', 'Hệ thống đang bận']) {
        await l.rows(sql`insert into receipts (dossier_id, target_id, attempt, service, is_updating, version, request_hash, http_status, error_code, message, outcome, duration_ms, created_at)
          values (${d!.id}, 'national', 1, 'DongBoHoSoMC', false, 1, ${'e'.repeat(64)}, 200, '0', ${message}, 'ok', 40, '2026-06-01T01:00:00Z')`);
      }
      const [n] = await l.rows<{ n: number }>(sql`select count(*)::int as n from receipts where seq is null`);
      expect(n!.n).toBe(2);
    });
    const v = await cli('ledger', 'verify', '--config', config);
    expect(v.code, v.out).toBe(0);
    expect(v.out).toContain('2 receipt(s) unchained: written before the evidence chain existed');
    expect(v.out).not.toContain('✗');
    const json = JSON.parse((await cli('ledger', 'verify', '--config', config, '--json')).out) as { ok: boolean; unchained: number };
    expect(json).toMatchObject({ ok: true, unchained: 2 });

    const file = join(dir, 'ho-so.evidence.json');
    const exported = await cli('evidence', 'export', code, '--config', config, '--out', file);
    expect(exported.code, exported.out + exported.err).toBe(0);
    expect(exported.out).toMatch(/and 2 older unchained receipt\(s\)/);
    const bundle = JSON.parse(await readFile(file, 'utf8')) as Bundle;
    expect(bundle.targets).toEqual([expect.objectContaining({ target: 'national', unsigned: 0, unchained: 2 })]);
    const pem = join(dir, 'keys.pem');
    const pk = await cli('evidence', 'public-key', '--config', config, '--all');
    await writeFile(pem, pk.out + '\n');
    const ok = await cli('evidence', 'verify', file, '--public-key', pem);
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toContain('2 older receipt(s) of the dossier are unchained');

    // The answer of the dossier's push, one byte changed in the file: refused (2), the place named.
    const tampered = JSON.parse(JSON.stringify(bundle)) as Bundle;
    const entries = tampered.targets[0]!.segments[0]!.entries;
    const at = entries.findIndex((e) => 'receipt' in e && e.receipt.service === 'DongBoHoSoMC');
    const push = (entries[at] as { receipt: Bundle['targets'][0]['segments'][0]['entries'][0] & { answer: { body: string } } }).receipt;
    expect(push.answer.body).toMatch(/"error_code"/);
    push.answer.body = push.answer.body.replace(/"error_code":\s*"?0/, (m) => m.replace(/0$/, '1'));
    const bad = join(dir, 'tampered.json');
    await writeFile(bad, JSON.stringify(tampered));
    const refused = await cli('evidence', 'verify', bad, '--public-key', pem);
    expect(refused.code).toBe(2);
    expect(refused.out).toMatch(new RegExp(`targets\\[0\\] \\(national\\)\\.segments\\[0\\]\\.entries\\[${at}\\] \\(receipt seq \\d+, DongBoHoSoMC sent [^)]+\\): the kept answer does not match`));
    await writeFile(bad, '{ not json');
    expect((await cli('evidence', 'verify', bad)).code).toBe(1);
  }, 300_000);
});
