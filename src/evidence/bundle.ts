/**
 * Evidence bundles: one JSON file per dossier with what the gateway holds of it (its stored
 * versions), every request sent and every answer, the chain links from each receipt to a signed
 * checkpoint, and the public keys. `verifyBundle` needs no database: it recomputes every hash.
 *
 * A bundle holds citizen data (the dossier and the request bodies): it is for the portal's
 * operator (attached to a letter), not for dashboard viewers.
 */
import type { Ledger } from '../ledger/db.ts';
import { chainedReceiptSeqs, dossierVersions, unchainedReceiptCounts } from '../ledger/evidence.ts';
import { answerProblem, contentHashOf, decompressBody, decompressBytes, linkHash, sha256Hex, spkiToPem, type AnswerEvidence, type ReceiptContent } from './canonical.ts';
import { checkpointsOf, signHeads, type Checkpoint } from './checkpoint.ts';
import type { SigningKey } from './keys.ts';
import { receiptsBetween, type ChainedReceipt } from './receipts-read.ts';
import { checkpointProblem } from './verify-ledger.ts';

export const BUNDLE_FORMAT = 'lienthong-evidence/1';

export interface BundleReceipt extends ReceiptContent {
  seq: number;
  prevHash: string;
  hash: string;
  contentHash: string;
  /** The request body as sent (secrets replaced by `***`). */
  requestBody: string;
  /**
   * The portal's answer as received (secrets replaced by `***`): `body` is its text when its bytes
   * are UTF-8, else base64 (`encoding`); cut when `keptHash` is set (`length` is the whole answer's).
   * Absent on receipts written before answers were kept, or when no answer was read.
   */
  answer?: (AnswerEvidence & { body: string; encoding: 'utf8' | 'base64' }) | null;
}

/** The answer's kept bytes as a bundle shows them: text when they are UTF-8 (read back byte for byte), else base64. */
export function answerForBundle(kept: Buffer): { body: string; encoding: 'utf8' | 'base64' } {
  const text = kept.toString('utf8');
  return Buffer.from(text, 'utf8').equals(kept) ? { body: text, encoding: 'utf8' } : { body: kept.toString('base64'), encoding: 'base64' };
}

function answerBytesOf(a: { body?: unknown; encoding?: unknown }): Buffer | null {
  if (!isStr(a.body)) return null;
  if (a.encoding === 'utf8') return Buffer.from(a.body, 'utf8');
  if (a.encoding === 'base64') return Buffer.from(a.body, 'base64');
  return null;
}

/** One stretch of a chain: full receipts of the dossier and, between them, other receipts' links only. */
export interface BundleSegment {
  /** The link before the first entry. */
  prevHash: string;
  entries: Array<{ receipt: BundleReceipt } | { seq: number; contentHash: string }>;
  checkpoint: Omit<Checkpoint, 'id' | 'target'>;
}

export interface Bundle {
  format: typeof BUNDLE_FORMAT;
  dossierCode: string;
  exportedAt: string;
  note: string;
  dossiers: Array<{ sourceId: string; version: number; contentHash: string; updatedAt: string; canonical: unknown }>;
  /**
   * Per target: `unsigned` receipts of the dossier not covered by a checkpoint yet; `unchained`
   * receipts of it written before the evidence chain existed (migration 0007): listed as a count,
   * they cannot be verified (absent in bundles written before it was counted).
   */
  targets: Array<{ target: string; segments: BundleSegment[]; unsigned: number; unchained?: number }>;
  /** PEM public keys of every checkpoint in the bundle. */
  publicKeys: string[];
}

export const BUNDLE_NOTE =
  'Evidence of lienthong exchanges with a portal. Contains citizen data: for the portal operator, not for publication. Verify with `lienthong evidence verify FILE --public-key KEYS.pem`.';

function toBundleReceipt(r: ChainedReceipt): BundleReceipt {
  const { id: _id, requestBody, answerBody, answer, ...rest } = r;
  const out: BundleReceipt = { ...rest, requestBody: requestBody ? decompressBody(requestBody) : '' };
  // A receipt without an answer keeps no `answer` key: its bundle entry reads as before answers were kept.
  if (answer) out.answer = { ...answer, ...answerForBundle(answerBody ? decompressBytes(answerBody) : Buffer.alloc(0)) };
  return out;
}

/**
 * The bundle of one dossier. With a key, receipts not yet covered by a checkpoint are covered by a
 * new one first (reason `export`); without, they are listed as unsigned.
 */
export async function exportBundle(ledger: Ledger, code: string, options: { target?: string; key?: SigningKey | null } = {}): Promise<Bundle> {
  const dossiers = await dossierVersions(ledger, code);
  const mine = await chainedReceiptSeqs(ledger, code, options.target);
  const byTarget = new Map<string, number[]>();
  for (const r of mine) byTarget.set(r.target, [...(byTarget.get(r.target) ?? []), r.seq]);
  // Receipts from before the chain (no seq, no MaHoSo column then): found through the dossier's rows.
  const unchainedOf = await unchainedReceiptCounts(ledger, code, options.target);
  for (const t of unchainedOf.keys()) if (!byTarget.has(t)) byTarget.set(t, []);
  const targets: Bundle['targets'] = [];
  const keys = new Set<string>();
  for (const [target, seqs] of byTarget) {
    let checkpoints = await checkpointsOf(ledger, target);
    const last = seqs[seqs.length - 1];
    if (options.key && last !== undefined && !checkpoints.some((c) => c.seq >= last)) {
      await signHeads(ledger, options.key, { reason: 'export', targets: [target] });
      checkpoints = await checkpointsOf(ledger, target);
    }
    // Each receipt goes to the first checkpoint at or after it; receipts sharing one make one segment.
    const groups = new Map<Checkpoint, number[]>();
    let unsigned = 0;
    for (const s of seqs) {
      const c = checkpoints.find((x) => x.seq >= s);
      if (!c) unsigned++;
      else groups.set(c, [...(groups.get(c) ?? []), s]);
    }
    const segments: BundleSegment[] = [];
    for (const [c, list] of groups) {
      const own = new Set(list);
      const rows = await receiptsBetween(ledger, target, list[0]!, c.seq);
      const entries: BundleSegment['entries'] = rows.map((r) => (own.has(r.seq) ? { receipt: toBundleReceipt(r) } : { seq: r.seq, contentHash: r.contentHash }));
      const { id: _id, target: _t, ...checkpoint } = c;
      segments.push({ prevHash: rows[0]?.prevHash ?? '', entries, checkpoint });
      keys.add(c.publicKey);
    }
    targets.push({ target, segments, unsigned, unchained: unchainedOf.get(target) ?? 0 });
  }
  return {
    format: BUNDLE_FORMAT,
    dossierCode: code,
    exportedAt: new Date().toISOString(),
    note: BUNDLE_NOTE,
    dossiers,
    targets,
    publicKeys: [...keys].map(spkiToPem),
  };
}

export interface BundleVerification {
  ok: boolean;
  /** What does not verify, each naming its place in the file (`targets[0].segments[1].entries[3]`). */
  problems: string[];
  /** What verified: receipts of the dossier, checkpoints, keys. */
  receipts: number;
  /** Receipts of the dossier written before the evidence chain existed: counted, not verifiable. */
  unchained: number;
  checkpoints: number;
  keys: string[];
  /** True when no trusted key was given: signatures were checked against the keys in the bundle itself. */
  keyNotPinned: boolean;
}

const isStr = (v: unknown): v is string => typeof v === 'string';

/** Verifies a bundle offline. `trusted`: the published public keys (SPKI base64); without, the bundle's own. */
export function verifyBundle(input: unknown, trusted?: string[]): BundleVerification {
  const problems: string[] = [];
  const out: BundleVerification = { ok: false, problems, receipts: 0, unchained: 0, checkpoints: 0, keys: [], keyNotPinned: trusted === undefined };
  const b = input as Partial<Bundle> | null;
  if (!b || typeof b !== 'object' || b.format !== BUNDLE_FORMAT) {
    problems.push(`format: not a ${BUNDLE_FORMAT} bundle`);
    return out;
  }
  if (!Array.isArray(b.targets) || b.targets.length === 0) problems.push('targets: the bundle holds no exchange');
  const keys = new Set<string>();
  (b.targets ?? []).forEach((t, ti) => {
    const tp = `targets[${ti}] (${String(t?.target)})`;
    if (t.unsigned > 0) problems.push(`${tp}: ${t.unsigned} receipt(s) of the dossier are not covered by a signed checkpoint yet`);
    if (typeof t.unchained === 'number' && t.unchained > 0) out.unchained += t.unchained;
    (t.segments ?? []).forEach((s, si) => {
      const sp = `${tp}.segments[${si}]`;
      let prev = s.prevHash;
      let seq: number | null = null;
      let failed = false;
      s.entries.forEach((e, ei) => {
        if (failed) return;
        const ep = `${sp}.entries[${ei}]`;
        if ('receipt' in e) {
          const r = e.receipt;
          const where = `${ep} (receipt seq ${r.seq}, ${r.service} sent ${r.sentAt})`;
          if (seq !== null && r.seq !== seq + 1) {
            problems.push(`${where}: seq ${r.seq} does not follow seq ${seq} (a receipt was removed or reordered)`);
            failed = true;
            return;
          }
          if (r.target !== t.target) problems.push(`${where}: target "${r.target}" is not the segment's target`);
          if (r.dossierCode !== b.dossierCode) problems.push(`${where}: dossier code "${r.dossierCode}" is not the bundle's`);
          if (!isStr(r.requestBody) || sha256Hex(r.requestBody) !== r.bodyHash) problems.push(`${where}: the request body does not match its hash`);
          else if (r.bodyHash !== r.requestHash && !r.requestBody.includes('***')) problems.push(`${where}: the request body is not the one sent (request hash)`);
          if (r.answer) {
            const bad = answerProblem(answerBytesOf(r.answer), r.answer);
            if (bad) problems.push(`${where}: ${bad}`);
          }
          const content = contentHashOf(r);
          if (content !== r.contentHash) problems.push(`${where}: the content (answer, status, timestamps, request hash…) does not match its content hash`);
          if (r.prevHash !== prev) problems.push(`${where}: the previous link is not the link before it`);
          const link = linkHash(r.seq, prev, content);
          if (link !== r.hash) problems.push(`${where}: the link hash does not follow from the previous link and the content`);
          prev = link;
          seq = r.seq;
          out.receipts++;
        } else {
          if (seq !== null && e.seq !== seq + 1) {
            problems.push(`${ep} (link seq ${e.seq}): does not follow seq ${seq} (a link was removed or reordered)`);
            failed = true;
            return;
          }
          prev = linkHash(e.seq, prev, e.contentHash);
          seq = e.seq;
        }
      });
      const c = s.checkpoint;
      const cp = `${sp}.checkpoint (seq ${c?.seq}, signed ${c?.signedAt})`;
      if (!c) {
        problems.push(`${sp}: no checkpoint`);
        return;
      }
      if (!failed && (seq !== c.seq || prev !== c.hash)) problems.push(`${cp}: the chain does not lead to the signed hash (a request, an answer, a timestamp or a link was changed)`);
      const bad = checkpointProblem({ ...c, target: t.target }, trusted);
      if (bad) problems.push(`${cp}: ${bad}`);
      else out.checkpoints++;
      keys.add(c.keyId);
    });
  });
  out.keys = [...keys];
  if (problems.length === 0 && out.receipts === 0) problems.push(`targets: no exchange of the dossier is in the evidence chain${out.unchained ? ` (${out.unchained} receipt(s) were written before it existed)` : ''}`);
  out.ok = problems.length === 0;
  return out;
}
