/**
 * Hostile shapes in one record of a page: a `"__proto__"` key carrying a required field, and nesting
 * 100,000 levels deep. Each such record is quarantined with an issue naming it and the field; the
 * other records are stored; the inherited value never passes validation.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { useFakeSource } from '../support/fake-source.ts';
import { startSpine } from '../support/spine.ts';

const API = 'http://motcua-hostile.test/api';
const page = { body: '{"data":[]}' };
const e2e = useFakeSource(http.get(`${API}/hoso`, () => new HttpResponse(page.body, { headers: { 'content-type': 'application/json; charset=utf-8' } })));

/** The record as JSON text without its `MaTTHC`, which comes under `"__proto__"` instead. */
function protoRecord(record: Record<string, unknown>): string {
  const { MaTTHC, ...rest } = record;
  return `${JSON.stringify(rest).slice(0, -1)},"__proto__":{"MaTTHC":${JSON.stringify(MaTTHC)}}}`;
}

/** The record as JSON text with a `GhiChu` nested `depth` arrays deep. */
function deepRecord(record: Record<string, unknown>, depth: number): string {
  return `${JSON.stringify(record).slice(0, -1)},"GhiChu":${'['.repeat(depth)}"x"${']'.repeat(depth)}}`;
}

interface QuarantineRow {
  record_key: string;
  issues: { path: string; message: string; code?: string }[];
}

describe('hostile record shapes', () => {
  it('quarantines a record whose required field comes under "__proto__" and one nested 100,000 deep; stores the rest', async () => {
    const spine = await e2e.startSpine({ count: 4, seed: 33 });
    const [a, b, c, d] = spine.records as unknown as Record<string, unknown>[];
    page.body = `{"data":[${JSON.stringify(a)},${protoRecord(b!)},${deepRecord(c!, 100_000)},${JSON.stringify(d)}]}`;
    const config = parseConfig({
      ...spine.config,
      targets: [],
      sources: [{ id: 'rest-hostile', adapter: 'rest-json', pageSize: 10, options: { baseUrl: API, path: 'hoso', recordsPath: 'data', mapping: 'portal' } }],
    });
    const summary = await runSync(spine.ledger, config, { env: spine.env });
    expect(summary.sources).toEqual([{ id: 'rest-hostile', pulled: 4, new: 2, changed: 0, unchanged: 0, quarantined: 2 }]);
    const stored = await spine.ledger.rows<{ code: string }>(sql`select code from dossiers order by code`);
    expect(stored.map((r) => r.code)).toEqual([a!['MaHoSo'], d!['MaHoSo']].sort());

    const q = await spine.ledger.rows<QuarantineRow>(sql`select record_key, issues from quarantine order by record_key`);
    const byKey = new Map(q.map((r) => [r.record_key, r.issues]));
    expect([...byKey.keys()].sort()).toEqual([b!['MaHoSo'], c!['MaHoSo']].sort());
    expect(byKey.get(String(b!['MaHoSo']))?.map((i) => i.path)).toContain('MaTTHC');
    // The mapping refuses it at 64 levels; its quarantined copy is cut at 100 levels, which a second issue says.
    expect(byKey.get(String(c!['MaHoSo']))).toEqual([
      { path: `GhiChu${'[0]'.repeat(63)}`, code: 'too_deep', message: 'is nested deeper than 64 levels: the record is quarantined' },
      { path: `GhiChu${'[0]'.repeat(99)}`, code: 'too_deep', message: `record "${String(c!['MaHoSo'])}": the field is nested deeper than 100 levels, which is not stored; the record is quarantined` },
    ]);
    const [run] = await spine.ledger.rows<{ status: string }>(sql`select status from runs`);
    expect(run?.status).toBe('attention');
  });

  it('names a record nested 100,000 deep in an export file (dvcqg-file) as too deep, with its path, and stores the rest', async () => {
    const spine = await startSpine({ count: 2 });
    try {
      const [a, b] = spine.records;
      await writeFile(join(spine.exportsDir, '0001.ndjson'), `${JSON.stringify(a)}\n${deepRecord(b as unknown as Record<string, unknown>, 100_000)}\n`);
      const summary = await runSync(spine.ledger, spine.config, { env: spine.env, push: false });
      expect(summary.sources[0]).toMatchObject({ new: 1, quarantined: 1 });
      const rows = await spine.ledger.rows<QuarantineRow>(sql`select record_key, issues from quarantine`);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.record_key).toBe(b!.MaHoSo);
      // The mapping's text repair refuses it at 64 levels; the stored copy is cut at 100.
      expect(rows[0]!.issues.map((i) => [i.code, i.path])).toEqual([
        ['too_deep', `GhiChu${'[0]'.repeat(63)}`],
        ['too_deep', `GhiChu${'[0]'.repeat(99)}`],
      ]);
      expect(JSON.stringify(rows[0]!.issues)).not.toMatch(/call stack/);
    } finally {
      await spine.close();
    }
  });
});
