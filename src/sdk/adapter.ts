/**
 * The adapter SDK: what a local-system adapter declares. An adapter never reads the environment
 * and never touches the database; it receives parsed options and a cursor and yields pages of raw
 * records, and maps one raw record to a canonical dossier. The pipeline does the rest.
 */
import type { z } from 'zod';
import type { Dossier } from '../../schemas/dossier.ts';
import type { ValidationIssue } from '../errors.ts';

/** One record as the local system gave it. */
export interface RawRecord {
  /** The dossier code (MaHoSo) when the record has one; the quarantine key otherwise falls back to `location`. */
  key: string | null;
  /** Where it came from, for people: `exports/2026-10.ndjson:12`, `page 3 #7`. */
  location: string;
  /** The parsed record (JSON value), or null when it could not be parsed. */
  raw: unknown;
  /** The unparsed text, kept when parsing failed so that nothing is lost. */
  rawText?: string;
  /** Problems found before mapping (unparsable line, not an object…). */
  parseIssues?: ValidationIssue[];
  /**
   * The record's modification time at the source (ISO instant), when the adapter knows it: the
   * ledger never lets a version older than the stored one overwrite it.
   */
  modifiedAt?: string;
}

export interface Page<C> {
  records: RawRecord[];
  /** Where the next pull resumes once this page is durably stored. */
  cursor: C;
}

export interface PullContext {
  pageSize: number;
  signal?: AbortSignal;
}

export type MapOutcome = { ok: true; value: Dossier } | { ok: false; issues: ValidationIssue[] };

export interface MapContext<O = unknown> {
  sourceId: string;
  /**
   * The source's options as `configSchema` parsed them (code tables, mapping); absent when the
   * caller has none (`adapter check --sample`: a bare sample record).
   */
  options?: O;
}

export interface AdapterDefinition<O = unknown, C = unknown> {
  id: string;
  version: string;
  /** Validates the source's `options`; secret fields are declared in `secretFields`. */
  configSchema: z.ZodType<O>;
  /** Option names that hold secrets (or name env vars holding them): redacted wherever shown. */
  secretFields?: readonly string[];
  /** A cheap connectivity probe; throws a GatewayError naming what is wrong. */
  check?(options: O): Promise<void>;
  /**
   * Records only arrive by push (`webhook`): `pull` yields nothing, so the source cannot be listed.
   * Reconcile never compares such a source, and never infers a deletion from it.
   */
  pushOnly?: boolean;
  /** Pages of raw records from a cursor (null = from the beginning). */
  pull(options: O, cursor: C | null, ctx: PullContext): AsyncIterable<Page<C>>;
  /** Raw record → canonical dossier, or every issue with its JSON path. */
  map(raw: unknown, ctx: MapContext<O>): MapOutcome;
  /**
   * Optional, for `adapter check`: the raw field paths the mapping reads with these options
   * (a compiled mapping knows them: `sourcePaths`); `sample` is a raw record, for mappings that
   * depend on its shape (CSV headers). Without it the report guesses from values.
   */
  mappedPaths?(options: O, sample?: unknown): readonly string[];
  /**
   * Optional `list` capability, for `reconcile`: the keys of a key range `[from, to)` (byte order, `null` = open end)
   * with each record's hash, in key order. The hash is `dossierHash` of the mapped dossier (what the
   * ledger stores), or any other string for a record that does not map. Without it, reconcile lists
   * the source by pulling it from the beginning.
   */
  listKeys?(options: O, range: KeyRange, ctx: PullContext): AsyncIterable<SourceKey[]>;
  /**
   * Optional: the keys of a key range with the source's own version (modified time, row version)
   * and a fingerprint of the raw row computed at the source (a database hash), in key order.
   * Cheap (no mapping), comparable only with an earlier `list` of the same source: which rows
   * changed since. `listKeys` gives hashes comparable with the ledger.
   */
  list?(options: O, range: KeyRange, ctx: PullContext): AsyncIterable<SourceKey[]>;
  /** Optional: count and XOR checksum (see `src/reconcile/checksum.ts`) of a key range, computed at the source. */
  checksum?(options: O, range: KeyRange): Promise<RangeChecksum>;
  /** Optional: the raw records of these keys (reconcile --repair re-pulls them). */
  fetch?(options: O, keys: readonly string[], ctx: PullContext): AsyncIterable<RawRecord[]>;
  /**
   * Optional: tell the source these records are stored (iGate's `xacnhantrangthainhan`). Called by
   * the pipeline after their page is durably in the ledger, with the records stored as dossier
   * versions (not the quarantined ones). It must not throw for one record: it returns the ones it
   * could not acknowledge; the pipeline reports them as warnings and never stops the run (the
   * source sends them again and a later run acknowledges them).
   */
  acknowledge?(options: O, records: readonly RawRecord[], ctx: PullContext): Promise<AcknowledgeOutcome>;
}

/** What {@link AdapterDefinition.acknowledge} did. */
export interface AcknowledgeOutcome {
  acknowledged: number;
  /** The records not acknowledged, with a message naming the record (no secret). */
  failed: { key: string; message: string }[];
}

/** A half-open range of keys in byte order; `null` = unbounded. */
export interface KeyRange {
  from: string | null;
  to: string | null;
}

/** One record of a source listing: its key (MaHoSo) and the hash of its current version. */
export interface SourceKey {
  key: string;
  hash: string;
  /** The record's version at the source when it has one (modified time, row version). */
  version?: string;
}

/** Count of a key range and the XOR of its records' 64-bit fingerprints (signed decimal text). */
export interface RangeChecksum {
  count: number;
  xor: string;
}

/**
 * Identity helper that keeps the option and cursor types: `O` is inferred from `configSchema`, so
 * `pull`, `map` (`ctx.options`) and the optional capabilities receive the parsed options typed.
 *
 * @example
 * export const adapter = defineAdapter({ id: 'my-system', version: '0.1.0', configSchema: OptionsSchema, pull, map: (raw, ctx) => toDossier(raw, ctx.options) });
 */
export function defineAdapter<O, C>(definition: AdapterDefinition<O, C>): AdapterDefinition<O, C> {
  return definition;
}

/**
 * An adapter whatever its option and cursor types, as a registry holds it and the pipeline calls
 * it. The pipeline never makes an `O` or a `C` itself: it passes what the adapter's own
 * `configSchema` parsed and the cursors its own `pull` yielded (stored as JSON), so the types meet
 * inside each adapter. `AdapterDefinition` declares its operations as methods, so an
 * `AdapterDefinition<O, C>` is assigned to it as it is, member by member, checked by the compiler:
 * a registry line is `[fooAdapter.id]: fooAdapter`, never a cast (lint refuses one).
 */
export type AnyAdapter = AdapterDefinition<unknown, unknown>;

/** Registry lookup by own key only (`getAdapter('constructor')` is not Object's constructor). */
export function lookupAdapter(registry: Readonly<Record<string, AnyAdapter>>, id: string): AnyAdapter | undefined {
  return Object.hasOwn(registry, id) ? registry[id] : undefined;
}
