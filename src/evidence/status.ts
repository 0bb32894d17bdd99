/** What /metrics and the dashboard show of the evidence: verification status only, never the content. */
import type { Ledger } from '../ledger/db.ts';
import { lastVerification } from './verify-ledger.ts';

export interface EvidenceTargetStatus {
  target: string;
  ok: boolean;
  receipts: number;
  unsignedTail: number;
  /** seq and place of the first receipt that does not verify (no content). */
  problem: { seq: number; place: string } | null;
}

export interface EvidenceStatus {
  verifiedAt: string | null;
  ok: boolean | null;
  targets: EvidenceTargetStatus[];
}

export async function evidenceStatus(ledger: Ledger): Promise<EvidenceStatus> {
  const v = await lastVerification(ledger);
  if (!v) return { verifiedAt: null, ok: null, targets: [] };
  return {
    verifiedAt: v.verifiedAt,
    ok: v.ok,
    targets: v.targets.map((t) => ({ target: t.target, ok: t.ok, receipts: t.receipts, unsignedTail: t.unsignedTail, problem: t.problem ? { seq: t.problem.seq, place: t.problem.place } : null })),
  };
}
