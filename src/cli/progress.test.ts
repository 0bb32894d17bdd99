import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createSyncProgress } from './progress.ts';

function fakeTerminal(isTTY: boolean) {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & { isTTY: boolean; columns: number; cursorTo: () => boolean; clearLine: () => boolean; moveCursor: () => boolean };
  stream.isTTY = isTTY;
  stream.columns = 120;
  stream.cursorTo = () => true;
  stream.clearLine = () => true;
  stream.moveCursor = () => true;
  let out = '';
  (stream as unknown as PassThrough).on('data', (d) => (out += String(d)));
  return { stream, text: () => out };
}

describe('sync progress on a terminal', () => {
  it('shows pulled and delivered counts per source and target on a terminal', async () => {
    const t = fakeTerminal(true);
    const p = createSyncProgress({ quiet: false, json: false, stream: t.stream });
    p.onSource({ id: 'qt', pulled: 500, new: 490, changed: 0, unchanged: 10, quarantined: 0 });
    p.onTarget({ id: 'national', delivered: 42, failedAttempts: 1, pending: 0, dead: 0 });
    p.stop();
    await new Promise((r) => setImmediate(r));
    expect(t.text()).toMatch(/source qt \| pulled 500 · new 490/);
    expect(t.text()).toMatch(/target national \| delivered 42 · failed attempts 1/);
  });

  it('prints nothing when not a terminal, with --quiet or with --json', async () => {
    for (const [isTTY, quiet, json] of [[false, false, false], [true, true, false], [true, false, true]] as const) {
      const t = fakeTerminal(isTTY);
      const p = createSyncProgress({ quiet, json, stream: t.stream });
      p.onSource({ id: 'qt', pulled: 1, new: 1, changed: 0, unchanged: 0, quarantined: 0 });
      p.stop();
      await new Promise((r) => setImmediate(r));
      expect(t.text()).toBe('');
    }
  });
});
