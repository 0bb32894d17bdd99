import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCalendar } from './calendar.ts';
import { createIndicatorAccumulator, type IndicatorOptions, type IndicatorResult } from './indicators.ts';
import { periodOf } from './periods.ts';
import { loadProcedureCatalog } from './procedures.ts';
import { percent, roundRatio } from './rounding.ts';
import { groupTotal, scoreLinear, scorePayment, scorePetition, scoreProgress, scoreSatisfaction, scoreThreshold } from './scoring-766.ts';
import { makeDossier, UNIT_A, UNIT_B, type DossierSpec } from './test-dossier.ts';

describe('766 scoring reproduces the published figures (indicators-766.md §5)', () => {
  it('scores PUBLIC_CONTENT_FULL 87/89 as 97.75 % → 1.96 of 2', () => {
    expect(scoreLinear(87, 89, 2)).toEqual({ numerator: 87, denominator: 89, rate: 97.75, score: 1.96, maxScore: 2 });
  });

  it('adds the transparency group: 7.96 (44.22 %), or 1.96 (10.89 %) without sync data', () => {
    const month = [scoreLinear(0, 0, 6).score, scoreLinear(0, 0, 4).score, 1.96, 6];
    expect(groupTotal(month, 18)).toEqual({ total: 7.96, ratio: 44.22 });
    expect(groupTotal([null, null, 1.96, null], 18)).toEqual({ total: 1.96, ratio: 10.89 });
    // Q3: POT 0/54 and PUOT 0/68 are scored 0, not null.
    expect([scoreLinear(0, 54, 6).score, scoreLinear(0, 68, 4).score]).toEqual([0, 0]);
  });

  it('uses the 80 % slope for REUSED_DIGITIZED_DATA: 2.54 % → 0.06 (0.05 without it), 100 % → 2', () => {
    expect(scoreThreshold(127, 5000, 2, 80)).toMatchObject({ rate: 2.54, score: 0.06 });
    expect(scoreLinear(127, 5000, 2).score).toBe(0.05);
    expect(scoreThreshold(40, 40, 2, 80).score).toBe(2);
  });

  it('scores SO_HOA linearly as the API does: 53.06 % → 2.12 (not 2.65)', () => {
    expect(scoreLinear(26, 49, 4)).toMatchObject({ rate: 53.06, score: 2.12 });
    expect(scoreThreshold(26, 49, 4, 80).score).toBe(2.65);
  });

  it('caps DRS at 90 % and gives 0 without dossiers', () => {
    expect(scoreSatisfaction(95, 100).score).toBe(6);
    expect(scoreSatisfaction(81, 100).score).toBe(5.4);
    expect(scoreSatisfaction(0, 0)).toMatchObject({ rate: 0, score: 0 });
  });

  it('gives full petition marks to a unit without petitions', () => {
    expect(scorePetition(0, 0)).toMatchObject({ rate: 0, score: 6 });
    expect(scorePetition(3, 4).score).toBe(4.5);
  });

  it('caps the C part of the payment group: H44.07 with C = 7/8 publishes 8.00', () => {
    expect(scorePayment({ a: [4, 4], b: [0, 5], c: [7, 8] })).toBe(8);
    expect(scorePayment({ a: [0, 0], b: [0, 0], c: [0, 0] })).toBe(0);
    // 6·(1/3) = 2 exactly; 2.5·(1/6) = 0.4167 → 0.42; sum 2.42.
    expect(scorePayment({ a: [1, 3], b: [1, 6], c: [0, 2] })).toBe(2.42);
  });

  it('scores progress as 20 × ratio, 0 when nothing was received', () => {
    expect(scoreProgress(7, 12)).toMatchObject({ rate: 58.33, score: 11.67 });
    expect(scoreProgress(0, 0)).toMatchObject({ rate: 0, score: 0 });
  });

  it('rounds half up exactly where floating point would not (the DVCTT diagnostic 406/1968 = 20.63 %)', () => {
    expect(percent(406, 1968)).toBe(20.63);
    expect(percent(1, 8)).toBe(12.5);
    expect(percent(1, 3)).toBe(33.33);
    expect(percent(2, 3)).toBe(66.67);
  });

  it('rounds an exact half up where a float product falls just below it (1.005 → 1.01, 1/8 → 12.5)', () => {
    // 201/20000 = 1.005 %: in floats 201 / 20000 * 100 * 100 is 100.49999999999999, which rounds to 1.00.
    expect(percent(201, 20000)).toBe(1.01);
    expect(roundRatio(1005, 1000)).toBe(1.01);
    expect(roundRatio(1, 8, 1)).toBe(0.1);
    expect(roundRatio(1, 8, 3)).toBe(0.125);
    expect(percent(1, 8)).toBe(12.5);
    expect(percent(1, 800)).toBe(0.13);
  });
});

describe('766 indicators from dossiers', () => {
  const calendar = createCalendar();
  const catalog = loadProcedureCatalog(readFileSync(new URL('./data/procedures.sample.json', import.meta.url), 'utf8'));
  const d = (spec: DossierSpec) => makeDossier(spec);
  const august = periodOf({ month: '2026-08', calendar: 'calendar' });
  const dossiers = [
    // A: 4 received in August 2026, one carried over from July.
    d({ code: 'A1', status: 9, channel: 'online', received: '2026-08-03 09:00', due: '2026-08-06 17:00', finished: '2026-08-05 10:00', digitised: true, eResult: true, fee: 10_000, paidOnline: '1', fromPersonalStore: true }),
    d({ code: 'A2', status: 9, channel: 'online', received: '2026-08-04 09:00', due: '2026-08-07 17:00', finished: '2026-08-10 10:00', procedure: '2.000908' }), // late; online without e-result
    d({ code: 'A3', status: 4, received: '2026-08-20 09:00', due: '2026-09-10 17:00', fee: 5_000, paidOnline: '0', vneid: true, reused: true, procedure: '0.000002' }),
    d({ code: 'A4', status: 4, received: '2026-07-20 09:00', due: '2026-08-10 17:00', databases: ['7'] }), // carried over, overdue
    d({ code: 'B1', unit: UNIT_B, status: 4, received: '2026-08-21 09:00', due: '2026-08-28 17:00' }),
  ];
  function run(extra: Partial<IndicatorOptions> = {}) {
    const acc = createIndicatorAccumulator({ ...august, calendar, catalog, ...extra });
    dossiers.forEach((x) => acc.add(x));
    return acc.result();
  }
  const find = (list: IndicatorResult[], code: string) => list.find((i) => i.code === code);
  const unitA = run({ syncedCodes: new Set(['A1', 'A2', 'A3']), nationalReportReceived: { [UNIT_A.code]: 5 }, populationDbCodes: ['7'] }).units[0];

  it('computes 2.1 over received and carried-over dossiers', () => {
    // On time: A1 finished early, A3 in progress within. Late: A2, A4 (overdue at 31/8).
    expect(find(unitA?.indicators ?? [], '2.1')).toMatchObject({ computable: true, numerator: 2, denominator: 4, rate: 50, score: 10, maxScore: 20 });
  });

  it('computes 1.4 against the larger of the national report and the ledger', () => {
    expect(find(unitA?.indicators ?? [], '1.4')).toMatchObject({ computable: true, numerator: 3, denominator: 5, rate: 60, score: 3.6 });
    expect(find(run().units[0]?.indicators ?? [], '1.4')).toMatchObject({ computable: false, reason: expect.stringContaining('receipts') });
  });

  it('counts online dossiers, requiring an e-result for finished dossiers of procedures that return a document', () => {
    // New in August: A1, A2, A3. A1 online with e-result counts; A2 online, finished, 2.000908 returns a document, no e-result.
    expect(find(unitA?.indicators ?? [], '3.3')).toMatchObject({ computable: true, numerator: 1, denominator: 3, rate: 33.33, score: null });
  });

  it('computes the payment and digitisation indicators', () => {
    const list = unitA?.indicators ?? [];
    expect(find(list, '3.6')).toMatchObject({ numerator: 1, denominator: 2, rate: 50, score: 3 });
    expect(find(list, '3.5b')).toMatchObject({ numerator: 1, denominator: 2, rate: 50, score: 1.25 });
    expect(find(list, '4.1')).toMatchObject({ apiCode: 'ORIGINAL_RESULT_AVAILABLE', numerator: 1, denominator: 4, rate: 25, score: 1.5 });
    expect(find(list, '4.2')).toMatchObject({ numerator: 1, denominator: 4, score: 1 });
    expect(find(list, '4.3')).toMatchObject({ numerator: 1, denominator: 4, rate: 25, score: 0.63 });
    expect(find(list, '4.4')).toMatchObject({ numerator: 1, denominator: 4, score: 1 });
    // A1 (personal store), A3 (VNeID), A4 (MaCSDL 7 configured as the population DB).
    expect(find(list, '4.5b')).toMatchObject({ numerator: 3, denominator: 4, score: 1.5, note: null });
  });

  it('reports the indicators it cannot compute, with a reason', () => {
    const off = (unitA?.indicators ?? []).filter((i) => !i.computable).map((i) => i.code);
    expect(off).toEqual(['1.1', '1.2', '1.3', '2.2', '3.1', '3.2', '3.5', '4.5a', 'ECC', '5.1', '5.2', '5.3', '5.4']);
    for (const i of unitA?.indicators ?? []) if (!i.computable) expect(i.reason.length).toBeGreaterThan(10);
  });

  it('gives one entry per unit', () => {
    const result = run();
    expect(result.units.map((u) => u.unitCode)).toEqual([UNIT_A.code, UNIT_B.code]);
    expect(find(result.units[1]?.indicators ?? [], '2.1')).toMatchObject({ numerator: 0, denominator: 1, score: 0 });
    expect(find(result.units[1]?.indicators ?? [], '3.6')).toMatchObject({ numerator: 0, denominator: 0, rate: null, score: 0 });
  });
});
