/**
 * The ledger: what the gateway can prove. One drizzle schema and one migration history serve
 * PGlite and PostgreSQL. Columns are snake_case; instants are timestamptz.
 */
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, customType, date, index, integer, jsonb, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

/** One row per (source, MaHoSo): the current version of a dossier, raw and canonical. */
export const dossiers = pgTable(
  'dossiers',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    sourceId: text('source_id').notNull(),
    code: text('code').notNull(),
    unitCode: text('unit_code'),
    procedureCode: text('procedure_code').notNull(),
    status: smallint('status').notNull(),
    channel: text('channel'),
    receivedAt: tstz('received_at'),
    dueAt: tstz('due_at'),
    finishedAt: tstz('finished_at'),
    /** The record as the source gave it, as JSON text (exactly as serialised; cheaper to store than jsonb). */
    raw: text('raw').notNull(),
    canonical: jsonb('canonical').notNull(),
    contentHash: text('content_hash').notNull(),
    version: integer('version').notNull().default(1),
    firstSeenAt: tstz('first_seen_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
    lastRunId: uuid('last_run_id'),
    deletedAt: tstz('deleted_at'),
    /**
     * How recent this version is at the source: the source's modification time when the adapter
     * gives one, never earlier than the latest instant the dossier itself records (dates, progress).
     * A version older than the stored one never overwrites it (it goes to `stale_versions`).
     */
    asOf: tstz('as_of'),
  },
  (t) => [
    uniqueIndex('dossiers_source_code_uq').on(t.sourceId, t.code),
    index('dossiers_code_idx').on(t.code),
    index('dossiers_unit_received_idx').on(t.unitCode, t.receivedAt),
    index('dossiers_received_idx').on(t.receivedAt),
  ],
);

/** Records that failed validation, with every issue; kept until a valid version arrives. */
export const quarantine = pgTable(
  'quarantine',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    sourceId: text('source_id').notNull(),
    /** MaHoSo when the record has one, else its location (`file.ndjson#12`). */
    recordKey: text('record_key').notNull(),
    location: text('location'),
    raw: jsonb('raw'),
    rawText: text('raw_text'),
    rawHash: text('raw_hash').notNull(),
    issues: jsonb('issues').notNull(),
    firstSeenAt: tstz('first_seen_at').notNull().defaultNow(),
    lastSeenAt: tstz('last_seen_at').notNull().defaultNow(),
    seenCount: integer('seen_count').notNull().default(1),
    resolvedAt: tstz('resolved_at'),
    lastRunId: uuid('last_run_id'),
  },
  (t) => [uniqueIndex('quarantine_source_key_uq').on(t.sourceId, t.recordKey), index('quarantine_open_idx').on(t.sourceId, t.resolvedAt)],
);

/** Where each source's pull stands; written in the same transaction as the page it follows. */
export const sourceCursors = pgTable('source_cursors', {
  sourceId: text('source_id').primaryKey(),
  cursor: jsonb('cursor'),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

export const runs = pgTable('runs', {
  id: uuid('id').primaryKey(),
  kind: text('kind').notNull().default('sync'),
  startedAt: tstz('started_at').notNull().defaultNow(),
  finishedAt: tstz('finished_at'),
  status: text('status').notNull().default('running'),
  exitCode: integer('exit_code'),
  summary: jsonb('summary'),
  host: text('host'),
  pid: integer('pid'),
  /** Renewed by the running process (migration 0008); expired on a run still `running` = interrupted. */
  leaseUntil: tstz('lease_until'),
});

/** The outbox: one delivery per (dossier, target), coalesced to the dossier's latest version. */
export const deliveries = pgTable(
  'deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    dossierId: bigint('dossier_id', { mode: 'number' })
      .notNull()
      .references(() => dossiers.id),
    targetId: text('target_id').notNull(),
    /** The dossier's source (denormalised): lets claims take sources in turn through an index. */
    sourceId: text('source_id'),
    /** Latest dossier version to deliver. */
    version: integer('version').notNull(),
    deliveredVersion: integer('delivered_version'),
    /** The portal holds this dossier (acknowledged or answered "đã tồn tại"): isUpdating "True". */
    portalHas: boolean('portal_has').notNull().default(false),
    /** Version whose DongBoHoSoMC call was acknowledged. */
    dossierAckedVersion: integer('dossier_acked_version'),
    /** Progress items acknowledged, and the hash of that prefix (to notice edited history). */
    progressAcked: integer('progress_acked').notNull().default(0),
    progressAckedHash: text('progress_acked_hash'),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: tstz('next_attempt_at').notNull().defaultNow(),
    leaseOwner: text('lease_owner'),
    leaseUntil: tstz('lease_until'),
    lastError: text('last_error'),
    lastAnswer: jsonb('last_answer'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
    deliveredAt: tstz('delivered_at'),
  },
  (t) => [
    uniqueIndex('deliveries_dossier_target_uq').on(t.dossierId, t.targetId),
    index('deliveries_due_idx').on(t.targetId, t.status, t.nextAttemptAt),
    index('deliveries_source_due_idx').on(t.targetId, t.status, t.sourceId, t.nextAttemptAt),
    index('deliveries_in_flight_idx').on(t.targetId, t.sourceId, t.leaseUntil).where(sql`${t.status} = 'pending' and ${t.leaseUntil} is not null`),
  ],
);

/** Every exchange with a portal: what was sent (hash), what it answered, how long it took. */
export const receipts = pgTable(
  'receipts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deliveryId: bigint('delivery_id', { mode: 'number' }),
    dossierId: bigint('dossier_id', { mode: 'number' }),
    targetId: text('target_id').notNull(),
    runId: uuid('run_id'),
    attempt: integer('attempt').notNull().default(0),
    service: text('service').notNull(),
    isUpdating: boolean('is_updating'),
    version: integer('version'),
    requestHash: text('request_hash').notNull(),
    httpStatus: integer('http_status'),
    errorCode: text('error_code'),
    message: text('message'),
    outcome: text('outcome').notNull(),
    durationMs: integer('duration_ms').notNull(),
    createdAt: tstz('created_at').notNull().default(sql`now()`),
    // Evidence (migration 0007, src/evidence): the chain link of this receipt in its target's chain.
    /** MaHoSo of the dossier delivered (null for a login or a look-up outside a delivery). */
    dossierCode: text('dossier_code'),
    /** When the request was sent (the gateway's clock). */
    sentAt: tstz('sent_at'),
    /** The request body as sent (secrets replaced by `***`), raw-deflate compressed. */
    requestBody: bytea('request_body'),
    /** sha256 hex of the stored (uncompressed) body; equals `request_hash` when the body held no secret. */
    bodyHash: text('body_hash'),
    /** sha256 hex of the receipt's canonical content (src/evidence/canonical.ts). */
    contentHash: text('content_hash'),
    /** Position in the target's chain, the previous link and this link (set by the receipts_chain trigger). */
    seq: bigint('seq', { mode: 'number' }),
    prevHash: text('prev_hash'),
    hash: text('hash'),
    // The portal's answer (migration 0010): secrets masked, at most 64 KiB kept, raw-deflated.
    answerBody: bytea('answer_body'),
    /** sha256 hex and byte length of the whole answer; sha256 of the kept part when it was cut (else null). */
    answerHash: text('answer_hash'),
    answerLength: integer('answer_length'),
    answerKeptHash: text('answer_kept_hash'),
  },
  (t) => [
    index('receipts_delivery_idx').on(t.deliveryId),
    index('receipts_dossier_idx').on(t.dossierId),
    uniqueIndex('receipts_target_seq_uq').on(t.targetId, t.seq),
    index('receipts_dossier_code_idx').on(t.dossierCode),
  ],
);

/** The head of each target's receipt chain: locked FOR UPDATE by the receipts_chain trigger. */
export const evidenceHeads = pgTable('evidence_heads', {
  targetId: text('target_id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

/** Signed checkpoints: a target's chain head at `seq`, signed with the gateway's Ed25519 key. */
export const evidenceCheckpoints = pgTable(
  'evidence_checkpoints',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    targetId: text('target_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
    signedAt: tstz('signed_at').notNull(),
    keyId: text('key_id').notNull(),
    /** The signing key's public half (SPKI DER, base64): old checkpoints verify after a rotation. */
    publicKey: text('public_key').notNull(),
    signature: text('signature').notNull(),
    /** run | daily | export | manual */
    reason: text('reason').notNull(),
    runId: uuid('run_id'),
  },
  (t) => [index('evidence_checkpoints_target_seq_idx').on(t.targetId, t.seq)],
);

/** Every reconciliation (`lienthong reconcile`): scope, counts per unit × bucket, who and when. */
export const reconciliations = pgTable(
  'reconciliations',
  {
    id: uuid('id').primaryKey(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    createdBy: text('created_by'),
    host: text('host'),
    scope: jsonb('scope').notNull(),
    counts: jsonb('counts').notNull(),
    stats: jsonb('stats'),
    differenceCount: integer('difference_count').notNull().default(0),
    repaired: jsonb('repaired'),
    exitCode: integer('exit_code').notNull(),
  },
  (t) => [index('reconciliations_created_idx').on(t.createdAt)],
);

/** The dossiers a reconciliation found different, each with its reason and field-level detail. */
export const reconciliationDifferences = pgTable(
  'reconciliation_differences',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    reconciliationId: uuid('reconciliation_id')
      .notNull()
      .references(() => reconciliations.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    unitCode: text('unit_code'),
    sourceId: text('source_id'),
    reason: text('reason').notNull(),
    detail: jsonb('detail').notNull(),
  },
  (t) => [index('reconciliation_differences_run_idx').on(t.reconciliationId, t.code)],
);

/** API keys of the HTTP API: only the SHA-256 of a key is stored; the key is shown once. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    /** admin | operator | viewer */
    role: text('role').notNull(),
    keyHash: text('key_hash').notNull(),
    /** The first characters of the key, to recognise it in a list. */
    keyPrefix: text('key_prefix').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    lastUsedAt: tstz('last_used_at'),
    revokedAt: tstz('revoked_at'),
  },
  (t) => [uniqueIndex('api_keys_hash_uq').on(t.keyHash)],
);

/**
 * What `reconcile --repair` changed, one row per dossier or delivery, with the state before it:
 * reviewed with `reconcile repairs ID` and undone with `reconcile undo ID`.
 */
export const repairActions = pgTable(
  'repair_actions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    reconciliationId: uuid('reconciliation_id').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    createdBy: text('created_by'),
    /** repull | mark_deleted | requeue | resend */
    action: text('action').notNull(),
    sourceId: text('source_id'),
    code: text('code').notNull(),
    dossierId: bigint('dossier_id', { mode: 'number' }),
    deliveryId: bigint('delivery_id', { mode: 'number' }),
    /** The row as it was before the repair (null: it did not exist). */
    before: jsonb('before'),
    /** The content hash / delivery version the repair left, to tell whether anything changed since. */
    after: jsonb('after'),
    undoneAt: tstz('undone_at'),
    undoneBy: text('undone_by'),
    /** Why an undo left this action as it is (changed since, already delivered…). */
    undoNote: text('undo_note'),
  },
  (t) => [index('repair_actions_reconciliation_idx').on(t.reconciliationId)],
);

/** Signatures of accepted webhook pushes, kept for the replay window: the same signature twice is a replay. */
export const intakeSignatures = pgTable(
  'intake_signatures',
  {
    sourceId: text('source_id').notNull(),
    signature: text('signature').notNull(),
    seenAt: tstz('seen_at').notNull().defaultNow(),
    /** The end of the push's replay window; older rows are deleted. */
    expiresAt: tstz('expires_at').notNull(),
  },
  (t) => [uniqueIndex('intake_signatures_uq').on(t.sourceId, t.signature), index('intake_signatures_expires_idx').on(t.expiresAt)],
);

/** Versions that arrived older than the stored one (a replay, a late page): kept, never applied. */
export const staleVersions = pgTable(
  'stale_versions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    sourceId: text('source_id').notNull(),
    code: text('code').notNull(),
    /** The arriving version's as-of instant, and the stored one's. */
    asOf: tstz('as_of'),
    storedAsOf: tstz('stored_as_of'),
    contentHash: text('content_hash').notNull(),
    raw: text('raw').notNull(),
    runId: uuid('run_id'),
    receivedAt: tstz('received_at').notNull().defaultNow(),
  },
  // One row per version refused: a file source that re-reads the same stale record each run refreshes it.
  (t) => [uniqueIndex('stale_versions_source_code_hash_idx').on(t.sourceId, t.code, t.contentHash)],
);

/** The procedure catalogue (migration 0009, src/catalog): one row per procedure code and version, with when it was read and last changed. */
export const procedureCatalog = pgTable(
  'procedure_catalog',
  {
    code: text('code').notNull(),
    validFrom: date('valid_from', { mode: 'string' }),
    validTo: date('valid_to', { mode: 'string' }),
    name: text('name').notNull(),
    fieldCode: text('field_code'),
    fieldName: text('field_name'),
    timeLimitValue: integer('time_limit_value').notNull(),
    /** working_days, working_hours, calendar_days or months (src/rules/procedures.ts). */
    timeLimitUnit: text('time_limit_unit').notNull(),
    cutoff: text('cutoff'),
    pausesForPayment: boolean('pauses_for_payment').notNull().default(false),
    returnsDocument: boolean('returns_document'),
    basis: text('basis'),
    /** `file:<path>` or `target:<id>`. */
    source: text('source').notNull(),
    contentHash: text('content_hash').notNull(),
    raw: jsonb('raw'),
    fetchedAt: tstz('fetched_at').notNull(),
    changedAt: tstz('changed_at').notNull(),
  },
  (t) => [uniqueIndex('procedure_catalog_code_version_uq').using('btree', t.code, sql`(coalesce(${t.validFrom}, '0001-01-01'::date))`)],
);
