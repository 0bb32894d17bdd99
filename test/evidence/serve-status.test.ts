/**
 * The evidence job of `serve` (signs the chain heads, runs ledger verify, keeps the result) and what
 * /metrics and the dashboard show of it: status only, never a receipt's content. On the configured
 * database (PGlite, or PostgreSQL with DATABASE_URL).
 */
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../schemas/config.ts';
import { evidenceSection } from '../../src/dashboard/pages/evidence-status.ts';
import { ConfigError } from '../../src/errors.ts';
import { evidenceTick, startEvidenceJob } from '../../src/evidence/index.ts';
import { renderMetrics } from '../../src/metrics/prometheus.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { silentLogger } from '../../src/logger.ts';
import { startSpine, type Spine } from '../support/spine.ts';

let spine: Spine | undefined;
afterEach(async () => {
  await spine?.close();
  spine = undefined;
});

describe('evidence in serve: schedule, /metrics, dashboard', () => {
  it('a tick signs and verifies; /metrics and the dashboard show the result, a tampered answer as not intact, without its content', async () => {
    spine = await startSpine({ count: 3 });
    const s = spine;
    const config: Config = { ...s.config, evidence: { ...s.config.evidence, keyFile: join(s.dir, 'keys', 'k.pem') } };
    // Pushed without the run's own checkpoint (its key file cannot be made): the tick signs the tail.
    const unsignable: Config = { ...config, evidence: { ...config.evidence, keyFile: join(s.dir, 'no\0dir', 'k.pem') } };
    expect((await runSync(s.ledger, unsignable, { env: s.env })).evidenceError).toMatch(/not signed/);
    const before = await renderMetrics(s.ledger, config);
    expect(before).toMatch(/^lienthong_evidence_seconds_since_verify NaN$/m);

    const tick = await evidenceTick(s.ledger, config);
    expect(tick.checkpointError).toBeUndefined();
    expect(tick.verification.targets).toEqual([expect.objectContaining({ target: 'national', ok: true, unsignedTail: 0 })]);
    const ok = await renderMetrics(s.ledger, config);
    expect(ok).toMatch(/^lienthong_evidence_chain_verified\{target="national"\} 1$/m);
    expect(ok).toMatch(/^lienthong_evidence_unsigned_receipts\{target="national"\} 0$/m);
    expect(ok).toMatch(/^lienthong_evidence_seconds_since_verify \d+$/m);
    expect(String(await evidenceSection(s.ledger))).toMatch(/data-evidence-target="national".*Toàn vẹn/s);

    // One stored answer changed: the next tick finds it; status and place only are shown.
    const [r] = await s.ledger.rows<{ id: number; seq: number }>(sql`select id::int as id, seq::int as seq from receipts where service = 'DongBoHoSoMC' order by seq limit 1`);
    await s.ledger.rows(sql`update receipts set answer_body = (select answer_body from receipts where service = 'login' limit 1) where id = ${r!.id}`);
    const bad = await evidenceTick(s.ledger, config);
    expect(bad.verification.targets[0]!.problem).toMatchObject({ seq: r!.seq, place: 'answer' });
    expect(await renderMetrics(s.ledger, config)).toMatch(/^lienthong_evidence_chain_verified\{target="national"\} 0$/m);
    const section = String(await evidenceSection(s.ledger));
    expect(section).toContain(`Không toàn vẹn từ biên nhận số ${r!.seq}: câu trả lời của Cổng đã lưu bị sửa`);
    expect(section).not.toMatch(/error_code|session|\*\*\*/);
  });

  it('refuses a schedule that is not a cron expression', async () => {
    spine = await startSpine({ count: 1 });
    const config: Config = { ...spine.config, evidence: { ...spine.config.evidence, verifySchedule: 'every night' } };
    expect(() => startEvidenceJob(spine!.ledger, config, silentLogger())).toThrow(ConfigError);
  });
});
