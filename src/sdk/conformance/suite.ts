/**
 * The shared conformance suite (vitest). Every adapter's test file calls `describeConformance`
 * over its fixtures; file-based adapters pass `http: false` and the HTTP checks are not registered.
 *
 * @example
 * describeConformance({
 *   adapter: dvcqgFileAdapter,
 *   options: { path: fileURLToPath(new URL('./fixtures/ok', import.meta.url)) },
 *   golden: fileURLToPath(new URL('./golden/ok.json', import.meta.url)),
 *   expectRecords: 5,
 *   malformed: [{ name: 'bad dates', raw: { MaHoSo: 'X', NgayTiepNhan: '2024' }, paths: ['MaTTHC', 'NgayTiepNhan', …] }],
 *   http: false,
 * });
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactOptions, secretValues } from '../redact.ts';
import { assertNoSecret, checkAuthRefused, checkResume, describeError, issuePaths, mapAll, parseOptions, pullAll, type AnyAdapter, type Pulled, type Subject } from './checks.ts';
import { goldenOf, readGolden, writeGolden } from './golden.ts';

/** What an HTTP adapter's test provides around its fake source (msw handlers or a loopback server). */
export interface HttpHarness {
  /** Options the fake source refuses (wrong password), when it checks credentials: a ConfigError too. */
  badCredentialOptions?: unknown;
  /** The next data call answers `status` with these headers (then normal answers resume). */
  fault(status: number, headers?: Record<string, string>, body?: string): void;
  /** Data calls the fake source answered so far, faults included. */
  calls(): number;
}

export interface ConformanceSpec {
  adapter: AnyAdapter;
  /** Options (as in the config file) pointing at the fixtures; parsed with the adapter's schema. */
  options: unknown | (() => unknown);
  /** Golden output file (`golden/<name>.json`). */
  golden: string;
  /** Records the fixtures hold (pulled to the end). */
  expectRecords: number;
  /** Records per page asked for (default 2). */
  pageSize?: number;
  /** Malformed raw records and every issue path each must produce. */
  malformed?: { name: string; raw: unknown; paths: string[] }[];
  /** `false` for file-based adapters; else the harness (created after the test's own setup). */
  http: false | (() => HttpHarness);
  /** Values that must never be written or thrown (besides the options' secret fields). */
  secrets?: string[];
  /** Resuming re-reads nothing (default true); an adapter with overlapping windows sets false. */
  exactResume?: boolean;
  /** Pulling from the final cursor yields nothing (default true). */
  endCursorEmpty?: boolean;
}

/* eslint-disable no-console -- the suite captures the console to prove no secret reaches it; it writes nothing */
/** Captures everything written to the console and stdout/stderr while the suite runs. */
function captureOutput(): { text(): string; restore(): void } {
  const chunks: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const saved = methods.map((m) => console[m]);
  for (const m of methods) console[m] = (...args: unknown[]) => void chunks.push(args.map(String).join(' '));
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((c: string | Uint8Array, ...rest: never[]) => (chunks.push(String(c)), out(c, ...rest))) as typeof process.stdout.write;
  process.stderr.write = ((c: string | Uint8Array, ...rest: never[]) => (chunks.push(String(c)), err(c, ...rest))) as typeof process.stderr.write;
  return {
    text: () => chunks.join('\n'),
    restore() {
      methods.forEach((m, i) => (console[m] = saved[i] as (typeof console)[typeof m]));
      process.stdout.write = out;
      process.stderr.write = err;
    },
  };
}
/* eslint-enable no-console */

export function describeConformance(spec: ConformanceSpec): void {
  describe(`conformance: ${spec.adapter.id}`, () => {
    let subject: Subject;
    let full: Pulled;
    let secrets: string[];
    const written: string[] = [];
    let capture: ReturnType<typeof captureOutput>;

    beforeAll(() => {
      capture = captureOutput();
      const input = typeof spec.options === 'function' ? (spec.options as () => unknown)() : spec.options;
      subject = { adapter: spec.adapter, options: parseOptions(spec.adapter, input), pageSize: spec.pageSize ?? 2 };
      secrets = [...(spec.secrets ?? []), ...secretValues(subject.options, spec.adapter.secretFields)];
    });
    afterAll(() => capture.restore());

    it('pages to the end within the page size, with JSON cursors', async () => {
      full = await pullAll(subject);
      expect(full.records.length).toBe(spec.expectRecords);
      if (spec.expectRecords > (spec.pageSize ?? 2)) expect(full.pageSizes.filter((n) => n > 0).length).toBeGreaterThan(1);
      written.push(JSON.stringify(full.cursors));
    });

    it('resumes from a stored cursor without losing a record', async () => {
      await checkResume(subject, full ?? (await pullAll(subject)), { exact: spec.exactResume ?? true, endCursorEmpty: spec.endCursorEmpty ?? true });
    });

    it('maps the fixtures to the reviewed golden canonical output', () => {
      const mapped = goldenOf(mapAll(subject, full.records));
      written.push(JSON.stringify(mapped));
      const golden = readGolden(spec.golden);
      if (!golden || process.env['UPDATE_GOLDEN'] === '1') {
        writeGolden(spec.golden, mapped, golden?.reviewed === true && process.env['UPDATE_GOLDEN'] !== '1');
        throw new Error(`golden output written to ${spec.golden}: review every record, then set "reviewed": true`);
      }
      expect(golden.reviewed, `${spec.golden} is not reviewed yet: check it, then set "reviewed": true`).toBe(true);
      expect(mapped).toStrictEqual(golden.records);
    });

    for (const bad of spec.malformed ?? []) {
      it(`reports every issue of a malformed record with its path (${bad.name})`, () => {
        expect(issuePaths(subject, bad.raw)).toStrictEqual([...new Set(bad.paths)].sort());
      });
    }

    if (spec.http) {
      const harness = spec.http;
      it('turns a 401 into a configuration error without retrying it', async () => {
        const h = harness();
        const before = h.calls();
        h.fault(401);
        written.push(describeError(await checkAuthRefused(subject, secrets)));
        expect(h.calls() - before).toBe(1);
        if (h.badCredentialOptions !== undefined) {
          written.push(describeError(await checkAuthRefused({ ...subject, options: parseOptions(spec.adapter, h.badCredentialOptions) }, secrets)));
        }
      });
      it('waits the Retry-After of a 429 and goes on', async () => {
        const h = harness();
        const before = h.calls();
        h.fault(429, { 'retry-after': '1' });
        const t0 = Date.now();
        const page = await pullAll({ ...subject, maxPages: 1 });
        expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
        expect(h.calls() - before).toBeGreaterThanOrEqual(2);
        expect(page.records.length).toBeGreaterThan(0);
      });
      it('retries a 500 and gets the page on the next 200', async () => {
        const h = harness();
        const before = h.calls();
        h.fault(500);
        const page = await pullAll({ ...subject, maxPages: 1 });
        expect(h.calls() - before).toBeGreaterThanOrEqual(2);
        expect(page.records.length).toBeGreaterThan(0);
      });
    }

    it('never writes or throws a secret (options shown redacted)', () => {
      written.push(JSON.stringify(redactOptions(subject.options, spec.adapter.secretFields)));
      assertNoSecret('secrets', `${written.join('\n')}\n${capture.text()}`, secrets);
      for (const field of spec.adapter.secretFields ?? []) {
        const v = (subject.options as Record<string, unknown>)[field];
        if (typeof v === 'string' && v) expect((redactOptions(subject.options, spec.adapter.secretFields) as Record<string, unknown>)[field]).toBe('***');
      }
    });
  });
}
