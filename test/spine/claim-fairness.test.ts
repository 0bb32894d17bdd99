/**
 * Claims take sources in turn also when each claim is small. The adaptive sender pool grows to
 * many senders that claim one or two deliveries each; a turn counted inside one claim alone then
 * always picks the oldest source's next row, and a small source waits behind the whole backlog
 * of a big one. The turn counts what each source already has in flight (leased, not finished).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { generateDossiers } from '../../src/demo/generate.ts';
import { claimDue } from '../../src/outbox/queue.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { openTestLedger, type TestLedger } from '../support/ledger.ts';

let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

/** A ledger holding `big` deliveries of source "big", ingested first (older), then `small` of source "small". */
async function backlog(big: number, small: number): Promise<{ ledger: TestLedger; codes: Map<string, string> }> {
  const dir = await mkdtemp(join(tmpdir(), 'lt-fair-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const codes = new Map<string, string>();
  for (const [k, [id, n]] of ([['big', big], ['small', small]] as const).entries()) {
    await mkdir(join(dir, id));
    const recs = [...generateDossiers({ count: n, seed: k + 1 })].map((r, i) => {
      const code = r.MaHoSo.replace(/-\d{4}$/, `-${k + 1}${String(i).padStart(3, '0')}`);
      codes.set(code, id);
      return JSON.parse(JSON.stringify(r).replaceAll(r.MaHoSo, code)) as typeof r;
    });
    await writeFile(join(dir, id, 'all.ndjson'), recs.map((r) => JSON.stringify(r)).join('\n') + '\n');
  }
  const config = parseConfig({
    database: 'pglite:memory',
    sources: ['big', 'small'].map((id) => ({ id, adapter: 'dvcqg-file', options: { path: join(dir, id) } })),
    targets: [{ id: 'national', style: 'session', baseUrl: 'http://127.0.0.1:9', unitCode: '000.00.00.H48', username: 'u', passwordEnv: 'P' }],
  });
  const ledger = await openTestLedger();
  cleanup.push(() => ledger.close());
  await runSync(ledger, config, { env: {}, sourceIds: ['big'], push: false });
  await runSync(ledger, config, { env: {}, sourceIds: ['small'], push: false });
  return { ledger, codes };
}

describe('claimDue takes sources in turn', () => {
  it('alternates sources when every claim takes one delivery', async () => {
    const { ledger, codes } = await backlog(12, 3);
    const order: string[] = [];
    for (let i = 0; i < 6; i++) {
      const claimed = await claimDue(ledger, 'national', `w${i}`, 1, 60_000);
      expect(claimed).toHaveLength(1);
      order.push(codes.get(claimed[0]!.code)!);
    }
    expect(order).toEqual(['big', 'small', 'big', 'small', 'big', 'small']);
  });

  it('gives the next claim to the source with less in flight', async () => {
    const { ledger, codes } = await backlog(12, 3);
    const first = await claimDue(ledger, 'national', 'w1', 4, 60_000);
    // Within one claim: row k of each source before row k+1 (the small source has 3).
    expect(first.map((c) => codes.get(c.code))).toEqual(['big', 'small', 'big', 'small']);
    const more = await claimDue(ledger, 'national', 'w2', 6, 60_000);
    // 2 and 2 in flight: the turn goes on from there, small's last row before big's fourth and later.
    expect(more.map((c) => codes.get(c.code)).sort()).toEqual(['big', 'big', 'big', 'big', 'big', 'small']);
    const inOrder = more.map((c) => codes.get(c.code));
    expect(inOrder.indexOf('small')).toBeLessThanOrEqual(1);
  });

  it('counts only live leases: an expired lease is not in flight', async () => {
    const { ledger, codes } = await backlog(6, 2);
    // A lease that ran out (a dead claim) does not hold back its source's turn.
    const stale = await claimDue(ledger, 'national', 'gone', 3, 1);
    expect(stale.map((c) => codes.get(c.code))).toEqual(['big', 'small', 'big']);
    await new Promise((r) => setTimeout(r, 20));
    const next = await claimDue(ledger, 'national', 'w', 2, 60_000);
    expect(next.map((c) => codes.get(c.code))).toEqual(['big', 'small']);
  });
});
