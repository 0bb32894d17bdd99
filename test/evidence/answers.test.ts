/**
 * Evidence keeps the portal's answer as received (issue 14, "every request sent and every answer"):
 * the bytes, secrets masked like request bodies, at most 64 KiB kept with the whole answer's hash and
 * length, shown in the bundle; ledger verify and the offline bundle check refuse an altered answer
 * byte, naming the place. Runs on the configured database (PGlite, or PostgreSQL with DATABASE_URL).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  compressBytes,
  contentHashOf,
  decompressBytes,
  exportBundle,
  loadOrCreateSigningKey,
  receiptContentText,
  verifyBundle,
  verifyLedger,
  type Bundle,
  type SigningKey,
} from '../../src/evidence/index.ts';
import { lookupScope, receiptWriter } from '../../src/outbox/receipts.ts';
import { createPortalClient, type PortalClient } from '../../src/portal/index.ts';
import { BASE, ENV, PASSWORD, fixture, sessionTarget } from '../../src/portal/test-helpers.ts';
import type { PortalDossier } from '../../schemas/portal.ts';
import { openTestLedger, type TestLedger } from '../support/ledger.ts';

const server = setupServer();
const record = fixture<{ data: PortalDossier[] }>('a-dongbo-first-push').data[0]!;
const CODE = record.MaHoSo;
const SESSION = 'phien-bi-mat-7f3a9c';

let ledger: TestLedger;
let dir: string;
let key: SigningKey;
let client: PortalClient | undefined;

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
beforeEach(async () => {
  ledger = await openTestLedger();
  dir = await mkdtemp(join(tmpdir(), 'lt-answers-'));
  key = await loadOrCreateSigningKey(join(dir, 'k.pem'));
});
afterEach(async () => {
  server.resetHandlers();
  await client?.close();
  client = undefined;
  await ledger.close();
  await rm(dir, { recursive: true, force: true });
});

/** The portal: a login handing out SESSION, then the push answered with `answer` (exact bytes). */
function portal(answer: Buffer, contentType = 'application/json; charset=utf-8'): void {
  server.use(
    http.post(`${BASE}/auth`, () => new HttpResponse(`{"error_code":0,"message":"OK","session":"${SESSION}"}`, { headers: { 'Content-Type': 'application/json' } })),
    http.post(`${BASE}/service`, () => new HttpResponse(answer, { headers: { 'Content-Type': contentType } })),
  );
}

/** One push of the fixture dossier, its receipts written as reconcile writes look-ups (at once, with the MaHoSo). */
async function pushOnce(): Promise<void> {
  client = createPortalClient(sessionTarget(), { env: ENV, onExchange: receiptWriter(ledger, null) });
  const c = client;
  await lookupScope.run({ code: CODE }, () => c.pushDossier(record, false).catch(() => undefined));
}

interface Row {
  id: number;
  seq: number;
  service: string;
  answer_body: Uint8Array | null;
  answer_hash: string | null;
  answer_length: number | null;
  answer_kept_hash: string | null;
}
const rows = () => ledger.rows<Row>(sql`select id::int as id, seq::int as seq, service, answer_body, answer_hash, answer_length, answer_kept_hash from receipts order by seq`);
const kept = (r: Row) => decompressBytes(Buffer.from(r.answer_body!));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

type Entry = Bundle['targets'][number]['segments'][number]['entries'][number];
type WithReceipt = Extract<Entry, { receipt: unknown }>;
const entriesOf = (b: Bundle) => b.targets[0]!.segments[0]!.entries;
const clone = (b: Bundle): Bundle => JSON.parse(JSON.stringify(b)) as Bundle;

describe('evidence: the portal answer kept with each receipt', () => {
  it('keeps the answer byte for byte, the password and session token it echoes masked, and shows it in the bundle', async () => {
    // The portal echoes the request's credentials, as some error pages do; Vietnamese text NFD as sent.
    const text = `{"error_code":"0","message":"Đồng bộ thành công","debug":"session=${SESSION}; password=${PASSWORD}","ghi_chu":"Tie\u0302\u0301p nha\u0323\u0302n"}`;
    portal(Buffer.from(text, 'utf8'));
    await pushOnce();
    const [login, push] = await rows();
    expect(login!.service).toBe('login');
    expect(kept(login!).toString('utf8')).toBe('{"error_code":0,"message":"OK","session":"***"}');
    expect(push!.service).toBe('DongBoHoSoMC');
    const expected = '{"error_code":"0","message":"Đồng bộ thành công","debug":"session=***; password=***","ghi_chu":"Tie\u0302\u0301p nha\u0323\u0302n"}';
    expect(kept(push!).toString('utf8')).toBe(expected);
    expect(push).toMatchObject({ answer_hash: sha(Buffer.from(expected, 'utf8')), answer_length: Buffer.byteLength(expected), answer_kept_hash: null });
    const stored = JSON.stringify(await ledger.rows(sql`select * from receipts`)) + (await rows()).map((r) => kept(r).toString('utf8')).join('');
    expect(stored).not.toContain(SESSION);
    expect(stored).not.toContain(PASSWORD);

    expect((await verifyLedger(ledger)).ok).toBe(true);
    const bundle = clone(await exportBundle(ledger, CODE, { key }));
    const pushAt = entriesOf(bundle).findIndex((e) => 'receipt' in e && e.receipt.service === 'DongBoHoSoMC');
    const shown = (entriesOf(bundle)[pushAt] as WithReceipt).receipt;
    // NFD stays NFD: the answer is evidence of the bytes received, never normalised.
    expect(shown.answer).toEqual({ body: expected, encoding: 'utf8', hash: sha(Buffer.from(expected, 'utf8')), length: Buffer.byteLength(expected), keptHash: null });
    expect(verifyBundle(bundle, [key.publicKey])).toMatchObject({ ok: true, problems: [] });
  });

  it('refuses an altered answer byte in a bundle and in the ledger, naming the place', async () => {
    const text = '{"error_code":"-1","message":"Mã TTHC không tồn tại trong CSDL quốc gia"}';
    portal(Buffer.from(text, 'utf8'));
    await pushOnce();
    const bundle = clone(await exportBundle(ledger, CODE, { key }));
    const pushAt = entriesOf(bundle).findIndex((e) => 'receipt' in e && e.receipt.service === 'DongBoHoSoMC');
    const refused = (mutate: (r: WithReceipt['receipt']) => void): string => {
      const b = clone(bundle);
      mutate((entriesOf(b)[pushAt] as WithReceipt).receipt);
      const v = verifyBundle(b, [key.publicKey]);
      expect(v.ok).toBe(false);
      return v.problems.join('\n');
    };
    const at = `targets\\[0\\] \\(dvcqg\\)\\.segments\\[0\\]\\.entries\\[${pushAt}\\] \\(receipt seq \\d+, DongBoHoSoMC sent [^)]+\\)`;
    // One byte of the answer: "-1" made "0", as if the portal had accepted it.
    expect(refused((r) => void (r.answer!.body = r.answer!.body.replace('"-1"', '"0"')))).toMatch(new RegExp(`${at}: the kept answer does not match the hash and length of the answer received`));
    // The answer's hash made to match the altered answer: the content hash no longer does.
    expect(
      refused((r) => {
        r.answer!.body = r.answer!.body.replace('"-1"', '"00"');
        r.answer!.hash = sha(Buffer.from(r.answer!.body, 'utf8'));
        r.answer!.length = Buffer.byteLength(r.answer!.body);
      }),
    ).toMatch(new RegExp(`${at}: the content .* does not match its content hash`));
    // The answer removed: the receipt reads as one without an answer, which is not what was hashed.
    expect(refused((r) => void delete r.answer)).toMatch(new RegExp(`${at}: the content`));
    // Marked as cut when it was kept whole.
    expect(refused((r) => void (r.answer!.keptHash = sha(Buffer.from(r.answer!.body, 'utf8'))))).toMatch(new RegExp(`${at}: the answer is marked as cut`));

    // In the ledger: one byte of the stored answer changed.
    const push = (await rows()).find((r) => r.service === 'DongBoHoSoMC')!;
    const altered = Buffer.from(kept(push).toString('utf8').replace('"-1"', '"0" '), 'utf8');
    await ledger.rows(sql`update receipts set answer_body = ${compressBytes(altered)} where id = ${push.id}`);
    const v = await verifyLedger(ledger);
    expect(v.ok).toBe(false);
    expect(v.targets[0]!.problem).toMatchObject({ seq: push.seq, receiptId: push.id, place: 'answer' });
  });

  it('keeps the first 64 KiB of a long answer (cut between characters) with the whole answer\'s hash and length, and it verifies', async () => {
    // "ồ" is 3 bytes (E1 BB 93): the first one at byte 65,535, so a cut at 64 KiB would split it.
    const head = '{"error_code":"0","message":"';
    const text = `${head}${'a'.repeat(65_535 - head.length)}${'ồ'.repeat(20_000)}"}`;
    const bytes = Buffer.from(text, 'utf8');
    expect(bytes[65_535]).toBe(0xe1);
    portal(bytes);
    await pushOnce();
    const push = (await rows()).find((r) => r.service === 'DongBoHoSoMC')!;
    const part = kept(push);
    expect(part.length).toBe(65_535);
    // A prefix of what was received, whole characters only.
    expect(bytes.subarray(0, part.length).equals(part)).toBe(true);
    expect(Buffer.from(part.toString('utf8'), 'utf8').equals(part)).toBe(true);
    expect(push).toMatchObject({ answer_hash: sha(bytes), answer_length: bytes.length, answer_kept_hash: sha(part) });

    expect((await verifyLedger(ledger)).ok).toBe(true);
    const bundle = clone(await exportBundle(ledger, CODE, { key }));
    const r = (entriesOf(bundle).find((e) => 'receipt' in e && e.receipt.service === 'DongBoHoSoMC') as WithReceipt).receipt;
    expect(r.answer).toMatchObject({ encoding: 'utf8', length: bytes.length, keptHash: sha(part) });
    expect(r.answer!.body).toBe(part.toString('utf8'));
    expect(verifyBundle(bundle, [key.publicKey]).ok).toBe(true);
    // The cut is visible and cannot be hidden: claiming the kept part is the whole answer is refused.
    const b = clone(bundle);
    const rr = (entriesOf(b).find((e) => 'receipt' in e && e.receipt.service === 'DongBoHoSoMC') as WithReceipt).receipt;
    rr.answer!.length = part.length;
    expect(verifyBundle(b, [key.publicKey]).problems.join('\n')).toMatch(/DongBoHoSoMC sent .*: the answer is marked as cut but the kept part is not shorter/);
  });

  it('keeps an answer that is not UTF-8 (windows-1258) as its bytes, base64 in the bundle', async () => {
    const bytes = iconv.encode('{"error_code":"0","message":"Đồng bộ thành công"}', 'windows-1258');
    expect(Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes)).toBe(false);
    portal(bytes, 'application/json; charset=windows-1258');
    await pushOnce();
    const push = (await rows()).find((r) => r.service === 'DongBoHoSoMC')!;
    expect(kept(push).equals(bytes)).toBe(true);
    const bundle = clone(await exportBundle(ledger, CODE, { key }));
    const r = (entriesOf(bundle).find((e) => 'receipt' in e && e.receipt.service === 'DongBoHoSoMC') as WithReceipt).receipt;
    expect(r.answer).toMatchObject({ encoding: 'base64', body: bytes.toString('base64') });
    expect(verifyBundle(bundle, [key.publicKey]).ok).toBe(true);
  });

  it('an exchange with no answer (timeout) keeps the format of receipts written before answers were kept', async () => {
    server.use(
      http.post(`${BASE}/auth`, () => HttpResponse.json({ error_code: 0, session: SESSION })),
      http.post(`${BASE}/service`, () => HttpResponse.error()),
    );
    await pushOnce();
    const push = (await rows()).find((r) => r.service === 'DongBoHoSoMC')!;
    expect(push).toMatchObject({ answer_body: null, answer_hash: null, answer_length: null, answer_kept_hash: null });
    expect((await verifyLedger(ledger)).ok).toBe(true);
    const bundle = clone(await exportBundle(ledger, CODE, { key }));
    const r = (entriesOf(bundle).find((e) => 'receipt' in e && e.receipt.service === 'DongBoHoSoMC') as WithReceipt).receipt;
    expect('answer' in r).toBe(false);
    expect(verifyBundle(bundle, [key.publicKey]).ok).toBe(true);
  });

  it('the canonical text of a receipt without an answer is format 1, unchanged', () => {
    const base = {
      target: 'national', dossierCode: '000.20.48.H48-261001-0001', service: 'DongBoHoSoMC', isUpdating: false, version: 1, attempt: 1,
      requestHash: 'a'.repeat(64), bodyHash: 'b'.repeat(64), httpStatus: 200, errorCode: '0', message: 'Thành công', outcome: 'ok',
      sentAt: '2026-10-01T02:15:07.120Z', durationMs: 12,
    };
    // Written out by hand: receipts and bundles made before answers were kept hash to this.
    const v1 = `["lienthong-receipt/1","national","000.20.48.H48-261001-0001","DongBoHoSoMC",false,1,1,"${'a'.repeat(64)}","${'b'.repeat(64)}",200,"0","Thành công","ok","2026-10-01T02:15:07.120Z",12]`;
    expect(receiptContentText(base)).toBe(v1);
    expect(receiptContentText({ ...base, answer: null })).toBe(v1);
    expect(contentHashOf(base)).toBe(createHash('sha256').update(v1, 'utf8').digest('hex'));
    const withAnswer = { ...base, answer: { hash: 'c'.repeat(64), length: 42, keptHash: null } };
    expect(receiptContentText(withAnswer)).toBe(`["lienthong-receipt/2"${v1.slice('["lienthong-receipt/1"'.length, -1)},"${'c'.repeat(64)}",42,null]`);
  });
});
