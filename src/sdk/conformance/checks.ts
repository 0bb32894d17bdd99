/**
 * The conformance checks every adapter passes, as plain async functions: the vitest suite
 * (`suite.ts`) runs them over an adapter's fixtures, `lienthong adapter check` over a vendor's
 * sample or live source. A failed check throws a {@link ConformanceError} saying what is wrong.
 */
import { ConfigError, GatewayError, type ValidationIssue } from '../../errors.ts';
import type { AnyAdapter, MapOutcome, RawRecord } from '../adapter.ts';

/** A check that failed: what was expected and what happened. */
export class ConformanceError extends GatewayError {
  constructor(check: string, message: string) {
    super('conformance_failed', `${check}: ${message}`);
  }
}

export type { AnyAdapter };

export interface Subject {
  adapter: AnyAdapter;
  /** Parsed options (see {@link parseOptions}). */
  options: unknown;
  sourceId?: string;
  /** Records per page asked of the adapter (small, so paging is exercised). */
  pageSize?: number;
  /** Stop after this many pages (a live source: `source test` reads one). */
  maxPages?: number;
}

export interface Pulled {
  records: RawRecord[];
  /** Records of each page, in order. */
  pageSizes: number[];
  /** The cursor after each page (JSON round-tripped, as the ledger stores it). */
  cursors: unknown[];
}

/** The adapter's options schema applied to `input`; every issue listed in a ConfigError. */
export function parseOptions(adapter: AnyAdapter, input: unknown): unknown {
  const parsed = adapter.configSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(`adapter ${adapter.id}: invalid options`, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  return parsed.data;
}

const jsonRoundTrip = (v: unknown): unknown => (v === undefined ? null : (JSON.parse(JSON.stringify(v)) as unknown));
const idOf = (r: RawRecord) => r.key ?? `@${r.location}`;

/**
 * Pulls from `cursor` to the end (or `maxPages`): every page within `pageSize`, every cursor JSON.
 *
 * @example
 * const { records } = await pullAll({ adapter: dvcqgFileAdapter, options: { path: './fixtures' } });
 */
export async function pullAll(subject: Subject, cursor: unknown = null): Promise<Pulled> {
  const pageSize = subject.pageSize ?? 2;
  const maxPages = subject.maxPages ?? 100_000;
  const out: Pulled = { records: [], pageSizes: [], cursors: [] };
  for await (const page of subject.adapter.pull(subject.options, cursor, { pageSize })) {
    if (page.records.length > pageSize) throw new ConformanceError('paging', `a page held ${page.records.length} records, more than the page size ${pageSize}`);
    const text = JSON.stringify(page.cursor);
    if (text === undefined) throw new ConformanceError('paging', 'a page cursor is not JSON-serialisable');
    out.records.push(...page.records);
    out.pageSizes.push(page.records.length);
    out.cursors.push(JSON.parse(text) as unknown);
    if (out.pageSizes.length >= maxPages) break;
  }
  return out;
}

/**
 * Resumes from the cursor after the first non-empty page: every record the full pull had after that
 * page comes again (re-reading some is allowed when `exact` is false), and the end cursor yields nothing
 * new when `endCursorEmpty`.
 */
export async function checkResume(subject: Subject, full: Pulled, opts: { exact?: boolean; endCursorEmpty?: boolean } = {}): Promise<void> {
  const first = full.pageSizes.findIndex((n) => n > 0);
  if (first < 0) throw new ConformanceError('cursor resume', 'the fixtures yielded no record');
  const consumed = full.pageSizes.slice(0, first + 1).reduce((a, b) => a + b, 0);
  const resumed = await pullAll(subject, jsonRoundTrip(full.cursors[first]));
  const expected = full.records.slice(consumed).map(idOf);
  const got = resumed.records.map(idOf);
  if (opts.exact !== false) {
    if (JSON.stringify(got) !== JSON.stringify(expected)) throw new ConformanceError('cursor resume', `after the first page expected ${JSON.stringify(expected.slice(0, 5))}… (${expected.length}), got ${JSON.stringify(got.slice(0, 5))}… (${got.length})`);
  } else {
    const seen = new Set(got);
    const missing = expected.filter((k) => !seen.has(k));
    if (missing.length) throw new ConformanceError('cursor resume', `records missing after resuming: ${missing.slice(0, 5).join(', ')}`);
  }
  if (opts.endCursorEmpty !== false && full.cursors.length) {
    const again = await pullAll(subject, jsonRoundTrip(full.cursors.at(-1)));
    if (again.records.length) throw new ConformanceError('cursor resume', `pulling from the final cursor gave ${again.records.length} records again (work must be proportional to change)`);
  }
}

export interface MappedRecord {
  record: RawRecord;
  outcome: MapOutcome;
}

/** Maps every record as the pipeline does (parse issues first; a throwing mapper is a failure). */
export function mapAll(subject: Subject, records: readonly RawRecord[]): MappedRecord[] {
  return records.map((record) => {
    if (record.parseIssues?.length) return { record, outcome: { ok: false, issues: record.parseIssues } };
    try {
      return { record, outcome: subject.adapter.map(record.raw, { sourceId: subject.sourceId ?? 'conformance', options: subject.options }) };
    } catch (e) {
      throw new ConformanceError('mapping', `map() threw on ${record.location} instead of returning issues: ${(e as Error).message}`);
    }
  });
}

/** The issue paths of a malformed record, sorted and unique (`every issue with its path`). */
export function issuePaths(subject: Subject, raw: unknown): string[] {
  const out = subject.adapter.map(raw, { sourceId: subject.sourceId ?? 'conformance', options: subject.options });
  if (out.ok) throw new ConformanceError('malformed payload', 'a malformed record was accepted');
  return [...new Set(out.issues.map((i: ValidationIssue) => i.path))].sort();
}

/** The pull must fail with a ConfigError (credentials refused), not be retried, and name no secret. */
export async function checkAuthRefused(subject: Subject, secrets: readonly string[]): Promise<ConfigError> {
  try {
    await pullAll({ ...subject, maxPages: 1 });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw new ConformanceError('401', `expected a ConfigError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    assertNoSecret('401', describeError(e), secrets);
    return e;
  }
  throw new ConformanceError('401', 'the pull succeeded with refused credentials');
}

/** Messages of an error and its causes, as a log line would show them. */
export function describeError(e: unknown): string {
  const parts: string[] = [];
  for (let cur: unknown = e, d = 0; cur && d < 6; d++) {
    parts.push(cur instanceof Error ? `${cur.name}: ${cur.message} ${cur.stack ?? ''}` : String(cur));
    cur = cur instanceof Error ? cur.cause : undefined;
  }
  return parts.join('\n');
}

/** Throws when any secret (or its URL-encoded or Base64 form) occurs in `text`. */
export function assertNoSecret(check: string, text: string, secrets: readonly string[]): void {
  for (const s of secrets) {
    if (!s || s.length < 3) continue;
    for (const form of [s, encodeURIComponent(s), Buffer.from(s).toString('base64')]) {
      if (text.includes(form)) throw new ConformanceError(check, 'a secret appears in what the adapter wrote or threw');
    }
  }
}
