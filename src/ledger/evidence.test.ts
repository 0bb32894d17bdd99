import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestLedger, type TestLedger } from '../../test/support/ledger.ts';
import {
  chainedReceiptSeqs,
  chainHead,
  chainHeads,
  checkpointsOf,
  evidenceTargets,
  insertCheckpoint,
  insertVerificationRun,
  lastVerificationSummary,
  receiptsBetween,
  signedRecently,
  unchainedReceiptCounts,
  unchainedReceiptTotal,
  walkChain,
} from './evidence.ts';

/** Bytes that are not UTF-8, to see they come back byte for byte. */
const BODY = Buffer.from([0x00, 0xff, 0x10, 0x80, 0x41]);

let ledger: TestLedger;
beforeAll(async () => {
  ledger = await openTestLedger();
  const add = (code: string | null, content: string | null, answer: boolean) =>
    ledger.rows(sql`insert into receipts (target_id, service, request_hash, outcome, duration_ms, attempt, version, is_updating, http_status, dossier_code, sent_at,
        request_body, body_hash, content_hash, answer_body, answer_hash, answer_length, answer_kept_hash)
      values ('dvc', 'DongBoHoSoMC', 'rq', 'ok', 42, 1, ${content ? 2 : null}, ${content ? true : null}, 200, ${code}, '2026-11-20T03:00:00.123456Z'::timestamptz,
        decode(${BODY.toString('hex')}, 'hex'), 'bh', ${content}, ${answer ? sql`decode('c0ffee', 'hex')` : sql`null`}, ${answer ? 'ah' : null}, ${answer ? 3 : null}, null)`);
  await add('HS-1', 'c1', true);
  await add('HS-2', 'c2', false);
  await add(null, 'c3', false);
  await add('HS-1', 'c4', false);
  await add('HS-1', null, false); // before the chain: no content hash, no seq
});
afterAll(() => ledger?.close());

describe('receipts read back for the evidence', () => {
  it('in chain order, with bytes, instants to the millisecond as the database writes them, and the answer only when its hash is kept', async () => {
    const rows = await receiptsBetween(ledger, 'dvc', 1, 4);
    expect(rows.map((r) => [r.seq, r.contentHash, r.dossierCode])).toEqual([
      [1, 'c1', 'HS-1'],
      [2, 'c2', 'HS-2'],
      [3, 'c3', null],
      [4, 'c4', 'HS-1'],
    ]);
    expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
    expect(rows[0]).toMatchObject({ prevHash: '', target: 'dvc', service: 'DongBoHoSoMC', version: 2, isUpdating: true, attempt: 1, httpStatus: 200, errorCode: null, durationMs: 42, sentAt: '2026-11-20T03:00:00.123Z' });
    expect(rows[0]!.requestBody?.equals(BODY)).toBe(true);
    expect(rows[0]!.answer).toEqual({ hash: 'ah', length: 3, keptHash: null });
    expect(rows[0]!.answerBody?.toString('hex')).toBe('c0ffee');
    expect(rows[1]!.answer).toBeNull();
    expect(rows[1]!.answerBody).toBeNull();
    expect((await receiptsBetween(ledger, 'dvc', 2, 3)).map((r) => r.seq)).toEqual([2, 3]);
  });

  it('walks the whole chain page by page', async () => {
    const seqs: number[] = [];
    for await (const r of walkChain(ledger, 'dvc', 3)) seqs.push(r.seq);
    expect(seqs).toEqual([1, 2, 3, 4]);
  });

  it("finds a dossier's chained receipts and counts those from before the chain", async () => {
    expect(await chainedReceiptSeqs(ledger, 'HS-1')).toEqual([{ target: 'dvc', seq: 1 }, { target: 'dvc', seq: 4 }]);
    expect(await chainedReceiptSeqs(ledger, 'HS-1', 'other')).toEqual([]);
    expect(await unchainedReceiptCounts(ledger, 'HS-1')).toEqual(new Map([['dvc', 1]]));
    expect(await unchainedReceiptCounts(ledger, 'HS-2')).toEqual(new Map());
    expect(await unchainedReceiptTotal(ledger)).toBe(1);
    expect(await unchainedReceiptTotal(ledger, 'other')).toBe(0);
    expect(await evidenceTargets(ledger)).toEqual(['dvc']);
  });
});

describe('chain heads and checkpoints', () => {
  it('reads the head, stores a checkpoint with its signed instant as given, and knows whether it was signed lately', async () => {
    const [last] = await receiptsBetween(ledger, 'dvc', 4, 4);
    expect(await chainHead(ledger, 'dvc')).toEqual({ seq: 4, hash: last!.hash });
    expect(await chainHead(ledger, 'other')).toBeNull();
    expect(await chainHeads(ledger)).toEqual([{ target: 'dvc', seq: 4, hash: last!.hash, signedSeq: null }]);
    const old = { target: 'dvc', seq: 4, hash: last!.hash, signedAt: '2026-01-02T03:04:05.678Z', keyId: 'k1', publicKey: 'PK', signature: 'sig', reason: 'manual', runId: null };
    const stored = await insertCheckpoint(ledger, old);
    expect(stored).toEqual({ id: expect.any(Number), target: 'dvc', seq: 4, hash: last!.hash, signedAt: '2026-01-02T03:04:05.678Z', keyId: 'k1', publicKey: 'PK', signature: 'sig', reason: 'manual' });
    expect((await chainHeads(ledger))[0]?.signedSeq).toBe(4);
    expect(await signedRecently(ledger, 'dvc', 4)).toBe(false);
    await insertCheckpoint(ledger, { ...old, signedAt: new Date().toISOString(), reason: 'daily', runId: crypto.randomUUID() });
    expect(await signedRecently(ledger, 'dvc', 4)).toBe(true);
    expect(await signedRecently(ledger, 'dvc', 3)).toBe(false);
    expect((await checkpointsOf(ledger, 'dvc')).map((c) => c.reason)).toEqual(['manual', 'daily']);
  });
});

describe('ledger-verify runs', () => {
  it('keeps the whole verification and reads the latest back as it was written', async () => {
    expect(await lastVerificationSummary(ledger)).toBeNull();
    const good = { ok: true, verifiedAt: '2026-11-20T01:00:00.000Z', targets: [], unchained: 0 };
    await insertVerificationRun(ledger, crypto.randomUUID(), good);
    const bad = { ok: false, verifiedAt: '2026-11-21T01:00:00.000Z', targets: [{ target: 'dvc', problem: { detail: 'biên nhận bị xoá' } }], unchained: 2 };
    await insertVerificationRun(ledger, crypto.randomUUID(), bad);
    expect(await lastVerificationSummary(ledger)).toEqual(bad);
  });
});
