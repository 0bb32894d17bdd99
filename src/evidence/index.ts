/**
 * Evidence of every exchange with the portals (issue 14): a hash chain over the receipts of each
 * target (linked by the receipts_chain trigger of migration 0007), the request bodies kept
 * compressed, Ed25519-signed checkpoints of each chain head, whole-ledger verification and
 * per-dossier bundles that verify offline.
 */
export * from './canonical.ts';
export * from './keys.ts';
export { signHeads, checkpointsOf, type Checkpoint, type CheckpointReason } from './checkpoint.ts';
export { verifyLedger, verifyTarget, recordVerification, lastVerification, type LedgerVerification, type TargetVerification, type ChainProblem } from './verify-ledger.ts';
export { exportBundle, verifyBundle, BUNDLE_FORMAT, BUNDLE_NOTE, type Bundle, type BundleVerification } from './bundle.ts';
export { checkpointRun } from './run.ts';
export { evidenceStatus, type EvidenceStatus, type EvidenceTargetStatus } from './status.ts';
export { evidenceTick, startEvidenceJob } from './job.ts';
