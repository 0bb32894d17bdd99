/**
 * Evidence (issue 14) on the configured database (PGlite, or PostgreSQL with DATABASE_URL): the
 * receipt chain, signed checkpoints, bundles verified offline, tampering found and named.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../schemas/config.ts';
import {
  allPublicKeys,
  decompressBody,
  exportBundle,
  loadOrCreateSigningKey,
  rotateSigningKey,
  signHeads,
  verifyBundle,
  verifyLedger,
  type Bundle,
} from '../../src/evidence/index.ts';
import { openLedger } from '../../src/ledger/db.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { startSpine, type Spine } from '../support/spine.ts';
import { usingPostgres } from '../support/ledger.ts';

let spine: Spine | undefined;
afterEach(async () => {
  await spine?.close();
  spine = undefined;
});

const withKey = (s: Spine): Config => ({ ...s.config, evidence: { ...s.config.evidence, keyFile: join(s.dir, 'keys', 'signing-key.pem') } });

async function syncedSpine(opts: Parameters<typeof startSpine>[0] = {}): Promise<{ s: Spine; config: Config }> {
  spine = await startSpine({ count: 4, ...opts });
  const config = withKey(spine);
  const summary = await runSync(spine.ledger, config, { env: spine.env });
  expect(summary.targets[0]).toMatchObject({ pending: 0, dead: 0 });
  expect(summary.evidenceError).toBeUndefined();
  return { s: spine, config };
}

const clone = (b: Bundle): Bundle => JSON.parse(JSON.stringify(b)) as Bundle;
type Entry = Bundle['targets'][number]['segments'][number]['entries'][number];
const receiptsOf = (b: Bundle) => b.targets.flatMap((t) => t.segments.flatMap((s) => s.entries.filter((e): e is Extract<Entry, { receipt: unknown }> => 'receipt' in e)));

describe('evidence: the receipt chain and its checkpoints', () => {
  it('chains every receipt of a run, signs the head at the end of the run, and ledger verify passes', async () => {
    const { s } = await syncedSpine();
    const rows = await s.ledger.rows<{ seq: number; n: number }>(sql`select count(*)::int as n, count(seq)::int as seq from receipts`);
    expect(rows[0]!.n).toBeGreaterThan(0);
    expect(rows[0]!.seq).toBe(rows[0]!.n);
    const v = await verifyLedger(s.ledger);
    expect(v.ok).toBe(true);
    expect(v.targets).toEqual([expect.objectContaining({ target: 'national', receipts: rows[0]!.n, lastSignedSeq: rows[0]!.n, unsignedTail: 0, ok: true })]);
  });

  it('keeps each request body byte for byte (bare-array: its hash is the hash of the bytes sent)', async () => {
    const { s } = await syncedSpine({ target: { style: 'bare-array' } });
    const rows = await s.ledger.rows<{ request_body: Uint8Array; request_hash: string; dossier_code: string; service: string }>(sql`select request_body, request_hash, dossier_code, service from receipts`);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      const body = decompressBody(Buffer.from(r.request_body));
      // request_hash is the sha256 of the exact bytes on the wire (src/portal/wire-format.test.ts).
      expect(createHash('sha256').update(Buffer.from(body, 'utf8')).digest('hex')).toBe(r.request_hash);
      expect(body).toContain(r.dossier_code);
    }
    const first = rows.find((r) => r.service === 'DongBoHoSoMC')!;
    const sent = JSON.parse(decompressBody(Buffer.from(first.request_body))) as Array<{ MaHoSo: string; TrichYeuHoSo: string }>;
    expect(sent[0]!.TrichYeuHoSo).toBe(s.records.find((x) => x.MaHoSo === first.dossier_code)!.TrichYeuHoSo);
  });

  it('keeps session-style bodies with the session token and the password masked', async () => {
    const { s } = await syncedSpine();
    const rows = await s.ledger.rows<{ request_body: Uint8Array; service: string }>(sql`select request_body, service from receipts`);
    for (const r of rows) {
      const body = decompressBody(Buffer.from(r.request_body));
      expect(body).not.toContain('test-secret');
      if (r.service !== 'login') expect(JSON.parse(body)).toMatchObject({ session: '***' });
    }
  });

  it('finds an edited receipt (its answer changed), naming it', async () => {
    const { s } = await syncedSpine();
    const ids = await s.ledger.rows<{ id: number; seq: number }>(sql`select id::int as id, seq::int as seq from receipts order by seq`);
    expect(ids.length).toBeGreaterThan(4);
    const edited = ids[1]!;
    await s.ledger.rows(sql`update receipts set message = 'Thành công' || coalesce(message, '') where id = ${edited.id}`);
    const v = await verifyLedger(s.ledger);
    expect(v.ok).toBe(false);
    expect(v.targets[0]!.problem).toMatchObject({ seq: edited.seq, receiptId: edited.id, place: 'content' });
  });

  it('finds a deleted receipt', async () => {
    const { s } = await syncedSpine();
    const ids = await s.ledger.rows<{ id: number; seq: number }>(sql`select id::int as id, seq::int as seq from receipts order by seq`);
    await s.ledger.rows(sql`delete from receipts where id = ${ids[2]!.id}`);
    const v = await verifyLedger(s.ledger);
    expect(v.targets[0]!.problem).toMatchObject({ seq: ids[2]!.seq, receiptId: null, place: 'missing' });
  });

  it('finds the last receipts deleted (the head and the checkpoint still name them)', async () => {
    const { s } = await syncedSpine();
    const [last] = await s.ledger.rows<{ seq: number }>(sql`select max(seq)::int as seq from receipts`);
    await s.ledger.rows(sql`delete from receipts where seq = ${last!.seq}`);
    const v = await verifyLedger(s.ledger);
    expect(v.targets[0]!.problem).toMatchObject({ seq: last!.seq, place: 'missing' });
  });

  it('finds two receipts swapped', async () => {
    const { s } = await syncedSpine();
    const ids = await s.ledger.rows<{ id: number; seq: number }>(sql`select id::int as id, seq::int as seq from receipts order by seq`);
    const [a, b] = [ids[1]!, ids[2]!];
    await s.ledger.rows(sql`update receipts set seq = -1 where id = ${a.id}`);
    await s.ledger.rows(sql`update receipts set seq = ${a.seq} where id = ${b.id}`);
    await s.ledger.rows(sql`update receipts set seq = ${b.seq} where id = ${a.id}`);
    const v = await verifyLedger(s.ledger);
    expect(v.targets[0]!.problem).toMatchObject({ seq: a.seq, receiptId: b.id, place: 'link' });
  });

  it('a crash before the checkpoint leaves a chain that verifies, its unsigned tail reported as such', async () => {
    const { s, config } = await syncedSpine();
    const [before] = await s.ledger.rows<{ n: number }>(sql`select count(*)::int as n from receipts`);
    // A second run pushes a change but dies before signing: its receipts are written, no checkpoint.
    const [a] = s.records;
    await s.writeExport('0002.ndjson', [{ ...a, TrangThaiHoSo: '10' }]);
    const crashed: Config = { ...config, evidence: { ...config.evidence, keyFile: join(s.dir, 'not-a-dir\0', 'k.pem') } };
    const summary = await runSync(s.ledger, crashed, { env: s.env });
    expect(summary.evidenceError).toMatch(/not signed/);
    const [after] = await s.ledger.rows<{ n: number }>(sql`select count(*)::int as n from receipts`);
    expect(after!.n).toBeGreaterThan(before!.n);
    const v = await verifyLedger(s.ledger);
    expect(v.ok).toBe(true);
    expect(v.targets[0]).toMatchObject({ lastSignedSeq: before!.n, unsignedTail: after!.n - before!.n, problem: null });
  });
});

describe('evidence: bundles verified offline', () => {
  it('a bundle verifies with the published key; any altered byte is refused with its place named', async () => {
    const { s, config } = await syncedSpine();
    const key = await loadOrCreateSigningKey(config.evidence!.keyFile!);
    const code = s.records[0]!.MaHoSo;
    const bundle = clone(await exportBundle(s.ledger, code, { key }));
    expect(bundle.dossiers[0]).toMatchObject({ sourceId: 'local', version: 1 });
    expect(receiptsOf(bundle).map((e) => e.receipt.service)).toEqual(expect.arrayContaining(['DongBoHoSoMC', 'CapNhatTienDoHoSoMC']));
    expect(verifyBundle(bundle, [key.publicKey])).toMatchObject({ ok: true, problems: [], keyNotPinned: false });
    // Through JSON text, as a file travels.
    expect(verifyBundle(JSON.parse(JSON.stringify(bundle)), [key.publicKey]).ok).toBe(true);

    const refused = (mutate: (b: Bundle) => void): string[] => {
      const b = clone(bundle);
      mutate(b);
      const v = verifyBundle(b, [key.publicKey]);
      expect(v.ok).toBe(false);
      return v.problems;
    };
    // The first DongBoHoSoMC of the dossier (a login made for its delivery comes before it).
    const pushAt = receiptsOf(bundle).findIndex((e) => e.receipt.service === 'DongBoHoSoMC');
    const first = (b: Bundle) => receiptsOf(b)[pushAt]!.receipt;
    const at = `entries\\[${bundle.targets[0]!.segments[0]!.entries.findIndex((e) => 'receipt' in e && e.receipt.service === 'DongBoHoSoMC')}\\]`;
    // A request: one byte of the body.
    const body = refused((b) => {
      const r = first(b);
      r.requestBody = r.requestBody.replace(code, code.slice(0, -1) + (code.endsWith('1') ? '2' : '1'));
    });
    expect(body.join('\n')).toMatch(new RegExp(`${at} \\(receipt seq \\d+, DongBoHoSoMC sent .*\\): the request body does not match its hash`));
    // An answer.
    expect(refused((b) => void (first(b).errorCode = '-1')).join('\n')).toMatch(new RegExp(`${at}.*content.*does not match`));
    expect(refused((b) => void (first(b).httpStatus = 500)).join('\n')).toMatch(new RegExp(`${at}.*content`));
    // A timestamp.
    expect(refused((b) => void (first(b).sentAt = first(b).sentAt.replace(/\d(?=Z$)/, (d) => String((Number(d) + 1) % 10)))).join('\n')).toMatch(new RegExp(`${at}.*content`));
    // A link: the previous hash, a link of another receipt between, the signed hash.
    expect(refused((b) => void (b.targets[0]!.segments[0]!.prevHash = '0'.repeat(64))).join('\n')).toMatch(/entries\[0\].*previous link/);
    expect(
      refused((b) => {
        const seg = b.targets[0]!.segments[0]!;
        const i = seg.entries.findIndex((e) => !('receipt' in e));
        if (i < 0) {
          (seg.entries[seg.entries.length - 1] as { receipt: { hash: string } }).receipt.hash = 'f'.repeat(64);
          return;
        }
        (seg.entries[i] as { contentHash: string }).contentHash = 'f'.repeat(64);
      }).join('\n'),
    ).toMatch(/segments\[0\]/);
    expect(refused((b) => void (b.targets[0]!.segments[0]!.checkpoint.hash = 'a'.repeat(64))).join('\n')).toMatch(/checkpoint \(seq \d+.*signature does not verify|does not lead/);
    expect(refused((b) => void (b.targets[0]!.segments[0]!.checkpoint.signedAt = '2020-01-01T00:00:00.000Z')).join('\n')).toMatch(/checkpoint.*signature does not verify/);
    // Removing a receipt from the segment.
    expect(refused((b) => void b.targets[0]!.segments[0]!.entries.splice(1, 1)).join('\n')).toMatch(/does not follow seq/);
    // A key that is not the published one.
    const other = await loadOrCreateSigningKey(join(s.dir, 'other', 'k.pem'));
    expect(verifyBundle(bundle, [other.publicKey]).problems.join('\n')).toMatch(/not among the trusted public keys/);
  });

  it('a rotated key still verifies old bundles and old checkpoints', async () => {
    const { s, config } = await syncedSpine();
    const file = config.evidence!.keyFile!;
    const oldKey = await loadOrCreateSigningKey(file);
    const code = s.records[0]!.MaHoSo;
    const oldBundle = clone(await exportBundle(s.ledger, code, { key: oldKey }));
    const { current } = await rotateSigningKey(file);
    expect(current.keyId).not.toBe(oldKey.keyId);
    // More exchanges, signed with the new key.
    await s.writeExport('0002.ndjson', [{ ...s.records[0], TrangThaiHoSo: '10' }]);
    await runSync(s.ledger, config, { env: s.env });
    const published = await allPublicKeys(file);
    expect(published).toEqual([current.publicKey, oldKey.publicKey]);
    expect(verifyBundle(oldBundle, published).ok).toBe(true);
    const newBundle = await exportBundle(s.ledger, code, { key: current });
    const v = verifyBundle(newBundle, published);
    expect(v).toMatchObject({ ok: true });
    expect(v.keys.sort()).toEqual([oldKey.keyId, current.keyId].sort());
    expect((await verifyLedger(s.ledger, { trusted: published })).ok).toBe(true);
    expect((await verifyLedger(s.ledger, { trusted: [current.publicKey] })).targets[0]!.problem).toMatchObject({ place: 'signature' });
  });
});

describe('evidence: concurrent writers', () => {
  it('two drains delivering for the same target at once keep one linear chain', async () => {
    spine = await startSpine({ count: 30 });
    const config = withKey(spine);
    await runSync(spine.ledger, config, { env: spine.env, push: false });
    // On PostgreSQL the second drain has its own connection pool, as a second worker would.
    const second = usingPostgres ? await openLedger(spine.ledger.url!, { migrate: false }) : spine.ledger;
    try {
      const [a, b] = await Promise.all([
        runSync(spine.ledger, config, { env: spine.env, pull: false }),
        runSync(second, config, { env: spine.env, pull: false }),
      ]);
      expect(a.targets[0]!.delivered + b.targets[0]!.delivered).toBe(30);
    } finally {
      if (second !== spine.ledger) await second.close();
    }
    const [r] = await spine.ledger.rows<{ n: number; max: number; distinct: number }>(sql`select count(*)::int as n, max(seq)::int as max, count(distinct seq)::int as distinct from receipts`);
    expect(r).toEqual({ n: r!.n, max: r!.n, distinct: r!.n });
    const v = await verifyLedger(spine.ledger);
    expect(v.ok).toBe(true);
    expect(v.targets[0]!.unsignedTail).toBe(0);
    const key = await loadOrCreateSigningKey(config.evidence!.keyFile!);
    expect(await signHeads(spine.ledger, key, { reason: 'manual' })).toEqual([]);
  });
});
