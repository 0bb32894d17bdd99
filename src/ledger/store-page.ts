/**
 * Stores one pulled page in a single transaction: new and changed dossiers (unchanged ones, same
 * content hash, are skipped), their outbox deliveries coalesced to the latest version, quarantined
 * records, and the source's cursor. The cursor therefore moves only with a durably stored page.
 * Bulk rows travel as one jsonb parameter (`jsonb_to_recordset`), never as SQL text.
 */
import { sql } from 'drizzle-orm';
import type { Dossier } from '../../schemas/dossier.ts';
import type { Ledger } from './db.ts';
import { bulkJson, bulkText, textArray } from './sql-helpers.ts';
import { dossierAsOf } from './as-of.ts';
import { escapeQuery, screenPage, type ScreenInvalid } from './storable.ts';

const RECORD_SEPARATOR = '\u001e';

/** Target ids, optionally with each target's unit prefixes (`targets[].units`; absent or [] = every dossier). */
export type TargetIdList = readonly string[] & { readonly units?: Readonly<Record<string, readonly string[]>> };

export interface ValidRecord {
  dossier: Dossier;
  raw: unknown;
  hash: string;
  /** The dossier's JSON when already made (for its hash); made here otherwise. */
  json?: string;
  /** Where the record was read, and its text, should it be quarantined here (see `screenPage`). */
  location?: string;
  rawText?: string | null;
  /** The record's modification time at the source, when the adapter gives one (see `as-of.ts`). */
  modifiedAt?: string | null;
}

/** A quarantined record, with every issue: one shape for the page screen and the store. */
export type InvalidRecord = ScreenInvalid;

export interface PageWrite {
  sourceId: string;
  runId: string | null;
  valid: ValidRecord[];
  invalid: InvalidRecord[];
  /**
   * Targets that receive a delivery for each new or changed dossier; with `units` (made by
   * src/outbox/units.ts `routedTargetIds`, carried through callers that only pass the list on) a
   * target listed there receives only dossiers whose unit code or MaHoSo starts with one of its prefixes.
   */
  targetIds: TargetIdList;
  /** Undefined = leave the cursor as it is (push intake has none). */
  cursor?: unknown;
}

export interface PageResult {
  new: number;
  changed: number;
  unchanged: number;
  quarantined: number;
  /** Codes stored as new or changed. */
  storedCodes: string[];
  /** Soft-deleted dossiers brought back by this page (counted in `changed` too). */
  restored: number;
  /** Versions older than the stored one: kept in `stale_versions`, never applied. */
  stale: number;
  staleCodes: string[];
}

export async function storePage(ledger: Ledger, given: PageWrite): Promise<PageResult> {
  // A record holding a value PostgreSQL refuses (NUL, lone surrogate, too deep) is quarantined, not stored.
  const page = screenPage(given);
  // The most recent version of a code in a page wins, the last one among equals (ON CONFLICT cannot touch a row twice).
  const nowMs = Date.now();
  const byCode = new Map<string, ValidRecord & { asOf: string | null }>();
  const olderInPage: Array<ValidRecord & { asOf: string | null }> = [];
  for (const r of page.valid) {
    const v = { ...r, asOf: dossierAsOf(r.dossier, r.modifiedAt, nowMs) };
    const held = byCode.get(r.dossier.code);
    if (held && isOlder(v.asOf, held.asOf)) olderInPage.push(v);
    else byCode.set(r.dossier.code, v);
  }
  const codes = [...byCode.keys()];

  return ledger.db.transaction(async (tx) => {
    const run = <T>(q: ReturnType<typeof sql>) => txRows<T>(ledger, tx, q);
    const existing = codes.length
      ? await run<{ code: string; content_hash: string; deleted: boolean; as_of: string | null }>(
          sql`select code, content_hash, deleted_at is not null as deleted, as_of from dossiers where source_id = ${page.sourceId} and code = any(${textArray(codes)})`,
        )
      : [];
    const known = new Map(existing.map((r) => [r.code, r]));
    // Same content: unchanged, unless the dossier was soft-deleted (then the push or pull restores it).
    // Older than what is stored: never applied, kept apart.
    const stale = [...olderInPage.map((r) => ({ r, storedAsOf: byCode.get(r.dossier.code)?.asOf ?? null }))];
    const toWrite: Array<ValidRecord & { asOf: string | null }> = [];
    let restoring = 0;
    for (const r of byCode.values()) {
      const held = known.get(r.dossier.code);
      if (held && held.content_hash === r.hash && !held.deleted) continue;
      if (held && held.content_hash !== r.hash && isOlder(r.asOf, held.as_of === null ? null : new Date(held.as_of).toISOString())) {
        stale.push({ r, storedAsOf: new Date(held.as_of as string).toISOString() });
        continue;
      }
      if (held?.deleted) restoring++;
      toWrite.push(r);
    }
    let inserted = 0;
    if (toWrite.length) {
      // The canonical JSON made for the content hash is spliced in, not serialised a second time.
      // The raw records travel apart, as one text with a record separator (U+001E, which JSON text
      // never holds unescaped), so the database does not parse them as part of the JSON document.
      const rows: string[] = [];
      const raws: string[] = [];
      for (const { dossier: d, raw, hash, json, asOf } of toWrite) {
        const head = JSON.stringify({
          code: d.code,
          unit_code: d.unit.code,
          procedure_code: d.procedure.code,
          status: d.status.code,
          channel: d.channel,
          received_at: d.dates.receivedAt,
          due_at: d.dates.dueAt,
          finished_at: d.dates.finishedAt,
          content_hash: hash,
          as_of: asOf,
        });
        rows.push(`${head.slice(0, -1)},"canonical":${json ?? JSON.stringify(d)}}`);
        raws.push(JSON.stringify(raw ?? null));
      }
      const result = await run<{ inserted: number; codes: string[] | string }>(sql`
        with input as (
          select x.*, r.raw
          from rows from (jsonb_to_recordset(${bulkJson(ledger.kind, `[${rows.join(',')}]`)}) as (
                 code text, unit_code text, procedure_code text, status smallint, channel text,
                 received_at timestamptz, due_at timestamptz, finished_at timestamptz, canonical jsonb, content_hash text, as_of timestamptz))
               with ordinality as x(code, unit_code, procedure_code, status, channel, received_at, due_at, finished_at, canonical, content_hash, as_of, n)
          join unnest(string_to_array(${bulkText(ledger.kind, raws.join(RECORD_SEPARATOR))}, ${RECORD_SEPARATOR})) with ordinality as r(raw, n) on r.n = x.n
        ), upserted as (
          insert into dossiers as d (source_id, code, unit_code, procedure_code, status, channel, received_at, due_at,
                                     finished_at, raw, canonical, content_hash, last_run_id, as_of)
          select ${page.sourceId}, code, unit_code, procedure_code, status, channel, received_at, due_at,
                 finished_at, raw, canonical, content_hash, ${page.runId}::uuid, as_of from input
          on conflict (source_id, code) do update set
            unit_code = excluded.unit_code, procedure_code = excluded.procedure_code, status = excluded.status,
            channel = excluded.channel, received_at = excluded.received_at, due_at = excluded.due_at,
            finished_at = excluded.finished_at, raw = excluded.raw, canonical = excluded.canonical,
            content_hash = excluded.content_hash, version = d.version + 1, updated_at = now(),
            last_run_id = excluded.last_run_id, deleted_at = null, as_of = greatest(d.as_of, excluded.as_of)
          where (d.content_hash is distinct from excluded.content_hash or d.deleted_at is not null)
            -- Checked again on the locked row: another process may have stored a newer version meanwhile.
            and (d.as_of is null or excluded.as_of is null or excluded.as_of >= d.as_of)
          returning d.id, d.code, d.unit_code, d.version, (xmax = 0) as inserted,
            -- A dossier its source says not to push (an OpenCPS interconnection copy …) is stored, not queued.
            (d.canonical -> 'notPushed') is null as pushable
        ), routes as (
          -- Each target with its unit prefixes ([] = every dossier), as one jsonb parameter.
          select x.target_id, x.units from jsonb_to_recordset(${JSON.stringify(page.targetIds.map((id) => ({ target_id: id, units: page.targetIds.units?.[id] ?? [] })))}::jsonb)
            as x(target_id text, units jsonb)
        ), queued as (
          insert into deliveries as q (dossier_id, target_id, source_id, version, status, next_attempt_at)
          select u.id, t.target_id, ${page.sourceId}, u.version, 'pending', now()
          from upserted u cross join routes t
          where u.pushable and (jsonb_array_length(t.units) = 0 or exists (select 1 from jsonb_array_elements_text(t.units) as p(prefix)
            where left(coalesce(u.unit_code, ''), length(p.prefix)) = p.prefix or left(u.code, length(p.prefix)) = p.prefix))
          on conflict (dossier_id, target_id) do update set
            version = excluded.version, status = 'pending', attempts = 0, next_attempt_at = now(),
            last_error = null, updated_at = now()
          returning 1
        )
        select count(*) filter (where inserted)::int as inserted, coalesce(jsonb_agg(code), '[]'::jsonb) as codes from upserted`);
      inserted = result[0]?.inserted ?? 0;
      const written = new Set<string>(typeof result[0]?.codes === 'string' ? JSON.parse(result[0].codes) : (result[0]?.codes ?? []));
      for (let i = toWrite.length - 1; i >= 0; i--) {
        const r = toWrite[i] as ValidRecord & { asOf: string | null };
        if (written.has(r.dossier.code)) continue;
        // Refused on the locked row: a newer version was stored by another process meanwhile.
        stale.push({ r, storedAsOf: null });
        toWrite.splice(i, 1);
      }
      await run(sql`update quarantine set resolved_at = now()
        where source_id = ${page.sourceId} and resolved_at is null and record_key = any(${textArray(toWrite.map((r) => r.dossier.code))})`);
    }
    if (stale.length) {
      // One row per refused version (a file source re-reads the same stale record every run): seen again, it is refreshed.
      const byVersion = new Map(stale.map(({ r, storedAsOf }) => [`${r.dossier.code}\u0000${r.hash}`, { code: r.dossier.code, as_of: r.asOf, stored_as_of: storedAsOf, content_hash: r.hash, raw: JSON.stringify(r.raw ?? null) }]));
      await run(sql`
        insert into stale_versions (source_id, code, as_of, stored_as_of, content_hash, raw, run_id)
        select ${page.sourceId}, code, as_of, stored_as_of, content_hash, raw, ${page.runId}::uuid
        from jsonb_to_recordset(${JSON.stringify([...byVersion.values()])}::jsonb) as x(code text, as_of timestamptz, stored_as_of timestamptz, content_hash text, raw text)
        on conflict (source_id, code, content_hash) do update set received_at = now(), stored_as_of = excluded.stored_as_of, run_id = excluded.run_id`);
    }
    if (page.invalid.length) {
      const lastByKey = new Map(page.invalid.map((r) => [r.key, r]));
      const rows = [...lastByKey.values()].map((r) => ({
        record_key: r.key,
        location: r.location,
        raw: r.raw ?? null,
        raw_text: r.rawText,
        raw_hash: r.rawHash,
        issues: r.issues,
      }));
      await run(sql`
        insert into quarantine as q (source_id, record_key, location, raw, raw_text, raw_hash, issues, last_run_id)
        select ${page.sourceId}, record_key, location, raw, raw_text, raw_hash, issues, ${page.runId}::uuid
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
          as x(record_key text, location text, raw jsonb, raw_text text, raw_hash text, issues jsonb)
        on conflict (source_id, record_key) do update set
          location = excluded.location, raw = excluded.raw, raw_text = excluded.raw_text, raw_hash = excluded.raw_hash,
          issues = excluded.issues, last_seen_at = now(), seen_count = q.seen_count + 1, resolved_at = null,
          last_run_id = excluded.last_run_id`);
    }
    if (page.cursor !== undefined) {
      await run(sql`
        insert into source_cursors (source_id, cursor, updated_at) values (${page.sourceId}, ${JSON.stringify(page.cursor)}::jsonb, now())
        on conflict (source_id) do update set cursor = excluded.cursor, updated_at = now()`);
    }
    return {
      new: inserted,
      changed: toWrite.length - inserted,
      unchanged: byCode.size - toWrite.length - (stale.length - olderInPage.length),
      quarantined: page.invalid.length,
      storedCodes: toWrite.map((r) => r.dossier.code),
      restored: Math.min(restoring, toWrite.length - inserted),
      stale: stale.length,
      staleCodes: stale.map((s) => s.r.dossier.code),
    };
  });
}

/** `a` is known to be strictly older than `b` (an unknown as-of is never older). */
function isOlder(a: string | null, b: string | null): boolean {
  return a !== null && b !== null && Date.parse(a) < Date.parse(b);
}

/** Runs a raw query inside a transaction on either driver. */
export async function txRows<T>(ledger: Ledger, tx: unknown, query: ReturnType<typeof sql>): Promise<T[]> {
  const res = (await (tx as { execute(q: unknown): Promise<unknown> }).execute(escapeQuery(query))) as { rows?: T[] } | T[];
  return ledger.kind === 'pglite' ? ((res as { rows: T[] }).rows ?? []) : (res as T[]);
}

export async function readCursor(ledger: Ledger, sourceId: string): Promise<unknown> {
  const rows = await ledger.rows<{ cursor: unknown }>(sql`select cursor from source_cursors where source_id = ${sourceId}`);
  return rows[0]?.cursor ?? null;
}
