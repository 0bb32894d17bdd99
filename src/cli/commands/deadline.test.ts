import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseReceived, run } from './deadline.ts';

let out: string[];
let err: string[];
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
});
afterEach(() => vi.restoreAllMocks());

const sample = new URL('../../rules/data/procedures.sample.json', import.meta.url).pathname;

describe('lienthong deadline', () => {
  it('prints the due date of the issue example in Vietnamese format', async () => {
    expect(await run(['--received', '2026-02-13T10:00', '--working-days', '3'])).toBe(0);
    expect(out).toEqual(['25/02/2026']);
  });

  it('prints JSON with the due instant at the office close', async () => {
    expect(await run(['--received', '2026-02-13T10:00', '--working-days', '3', '--json'])).toBe(0);
    expect(JSON.parse(out[0] as string)).toEqual({ dueDate: '2026-02-25', dueAt: '2026-02-25T10:00:00.000Z' });
  });

  it('prints hour-based deadlines with the clock time', async () => {
    expect(await run(['--received', '2026-03-02 10:00', '--working-hours', '8'])).toBe(0);
    expect(out).toEqual(['03/03/2026 10:00']);
  });

  it('accepts the receipt time the way it prints times (dd/MM/yyyy HH:mm, Vietnam time)', async () => {
    expect(await run(['--received', '13/02/2026 10:00', '--working-days', '3'])).toBe(0);
    expect(await run(['--received', '02/03/2026 10:00', '--working-hours', '8'])).toBe(0);
    // What it printed is accepted back, and means the due instant.
    expect(await run(['--received', '02/03/2026 10:00', '--working-hours', '8', '--json'])).toBe(0);
    const { dueAt } = JSON.parse(out.pop() as string) as { dueAt: string };
    expect(parseReceived(out[1] as string)).toBe(dueAt);
    expect(await run(['--received', '10:00 13/02/2026', '--working-days', '3'])).toBe(0);
    expect(await run(['--received', '13/02/2026', '--working-days', '3'])).toBe(0);
    expect(out).toEqual(['25/02/2026', '03/03/2026 10:00', '25/02/2026', '25/02/2026']);
    expect(parseReceived('13/02/2026 10:00')).toBe(parseReceived('2026-02-13T10:00'));
    expect(parseReceived('3/3/2026 10:00')).toBe('2026-03-03T03:00:00.000Z');
    expect(() => parseReceived('31/02/2026 10:00')).toThrow(/not a real date/);
    expect(() => parseReceived('13/02/2026 25:00')).toThrow(/impossible time/);
  });

  it('handles calendar days and months', async () => {
    await run(['--received', '2026-03-02T09:00', '--calendar-days', '5']);
    await run(['--received', '2026-01-31T09:00', '--months', '1']);
    expect(out).toEqual(['09/03/2026', '02/03/2026']);
  });

  it('takes the limit and the 15:00 cut-off from a catalogue', async () => {
    expect(await run(['--received', '2026-03-02T15:30', '--procedure', '2.000908', '--catalog', sample])).toBe(0);
    expect(await run(['--received', '2026-02-13T10:00', '--procedure', '2.000488', '--catalog', sample])).toBe(0);
    expect(out).toEqual(['03/03/2026', '25/02/2026']);
  });

  it('reads extra calendar data from a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lienthong-cal-'));
    const file = join(dir, 'holidays-2027.json');
    const data = { version: 1, years: [{ year: 2027, daysOff: [{ date: '2027-03-01', kind: 'holiday', name: 'test day off' }] }] };
    writeFileSync(file, JSON.stringify(data));
    expect(await run(['--received', '2027-02-26T09:00', '--working-days', '1', '--calendar-data', file])).toBe(0);
    expect(out).toEqual(['02/03/2027']);
  });

  it.each([
    [['--working-days', '3'], /--received is required/],
    [['--received', '2026-02-13T10:00'], /exactly one of/],
    [['--received', '2026-02-13T10:00', '--working-days', '3', '--months', '1'], /exactly one of/],
    [['--received', '13.02.2026 10:00', '--working-days', '3'], /--received must look like "13\/02\/2026 10:00"/],
    [['--received', '2026-02-30T10:00', '--working-days', '3'], /not a real date/],
    [['--received', '2026-02-13T10:00', '--working-days', 'three'], /whole number/],
    [['--received', '2026-02-13T10:00', '--working-hours', '0'], /whole number ≥ 1/],
    [['--received', '2026-02-13T10:00', '--procedure', '2.000488'], /needs --catalog/],
    [['--received', '2026-02-13T10:00', '--procedure', '9.999999', '--catalog', sample], /not in/],
    [['--received', '2026-02-13T10:00', '--working-days', '3', '--bogus'], /Unknown option/],
    [['--received', '2026-02-13T10:00', '--working-days', '3', '--calendar-data', '/nonexistent.json'], /cannot read/],
  ])('rejects %j with a clear message and exit 1', async (argv, message) => {
    expect(await run(argv)).toBe(1);
    expect(out).toEqual([]);
    expect(err.join('\n')).toMatch(message);
  });

  it('parses local times and zoned instants', () => {
    expect(parseReceived('2026-02-13T10:00')).toBe('2026-02-13T03:00:00.000Z');
    expect(parseReceived('2026-02-13 10:00:30')).toBe('2026-02-13T03:00:30.000Z');
    expect(parseReceived('2026-02-13T03:00:00Z')).toBe('2026-02-13T03:00:00.000Z');
    expect(parseReceived('2026-02-13T10:00+07:00')).toBe('2026-02-13T03:00:00.000Z');
  });
});
