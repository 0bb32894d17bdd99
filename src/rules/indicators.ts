/**
 * The 766 indicators (rules.md §11.1) that synchronised dossiers can support, per unit, with the
 * dashboard's scoring (scoring-766.ts). Indicators that need data the gateway does not hold
 * (procedure catalogue decisions, petitions, portal-side lists) say so instead of guessing.
 */
import type { Dossier } from '../../schemas/dossier.ts';
import { COUNTER_NAMES, createPeriodTally, emptyCounters, type PeriodTallyOptions, type RuleWarning, type TallyGroup } from './period-tally.ts';
import type { Period } from './periods.ts';
import { percent } from './rounding.ts';
import { scoreLinear, scoreProgress, scoreThreshold, type MetricScore } from './scoring-766.ts';

export interface IndicatorOptions extends Omit<PeriodTallyOptions, 'groupBy'> {
  /** Per unit code, the received total in the national reporting system (766 1.4 denominator). */
  nationalReportReceived?: Readonly<Record<string, number>>;
}

interface Base {
  /** Number in rules.md §11.1. */
  code: string;
  /** Metric code of the dashboard API, when it has one (indicators-766.md §4). */
  apiCode: string | null;
  name: string;
  maxScore: number | null;
}
export type IndicatorResult =
  | (Base & { computable: true; numerator: number; denominator: number; rate: number | null; score: number | null; note: string | null })
  | (Base & { computable: false; reason: string });

export interface UnitIndicators {
  unitCode: string | null;
  unitName: string;
  indicators: IndicatorResult[];
}

export interface IndicatorsResult {
  period: Period;
  asOf: string;
  units: UnitIndicators[];
  /**
   * Every unit together: each indicator evaluated on the summed counters (distinct procedures of
   * 3.5b counted once across units; 1.4's denominator the sum of each unit's own), not an average of scores.
   */
  total: UnitIndicators;
  warnings: RuleWarning[];
}

type Def = Base & ({ reason: string } | { compute: (g: TallyGroup, o: IndicatorOptions) => MetricScore & { note?: string | null } });

const received = (g: TallyGroup): number => g.counters.carriedOver + g.counters.newOnline + g.counters.newOffline;
const not = (code: string, apiCode: string | null, name: string, maxScore: number | null, reason: string): Def => ({ code, apiCode, name, maxScore, reason });

const DEFINITIONS: Def[] = [
  not('1.1', 'PUBLISH_ON_TIME', 'TTHC công bố đúng hạn', 6, 'needs publication decisions and legal-basis dates from the TTHC database'),
  not('1.2', 'PUBLIC_UPDATE_ON_TIME', 'TTHC cập nhật, công khai đúng hạn', 4, 'needs publication and disclosure dates from the TTHC database'),
  not('1.3', 'PUBLIC_CONTENT_FULL', 'TTHC công khai đầy đủ các bộ phận', 2, 'needs the published content of each TTHC'),
  {
    code: '1.4',
    apiCode: 'DOSSIER_SYNC',
    name: 'Hồ sơ đồng bộ lên Cổng DVCQG',
    maxScore: 6,
    compute: (g, o) => {
      const reported = (g.unitCode !== null ? o.nationalReportReceived?.[g.unitCode] : undefined) ?? 0;
      return { ...scoreLinear(g.counters.synced, Math.max(reported, received(g)), 6), note: reported ? null : 'no national-report figure: denominator = dossiers in the ledger' };
    },
  },
  { code: '2.1', apiCode: null, name: 'Hồ sơ xử lý trước hạn, đúng hạn', maxScore: 20, compute: (g) => scoreProgress(g.counters.onTime766, received(g)) },
  not('2.2', null, 'Thời gian giải quyết trung bình', null, 'shown per TTHC against CSDLQG limits; carries no points'),
  not('3.1', null, 'TTHC cung cấp DVCTT', null, 'needs the online-service catalogue of the unit'),
  not('3.2', null, 'DVC có phát sinh hồ sơ trực tuyến', null, 'needs the online-service catalogue of the unit'),
  {
    code: '3.3',
    apiCode: null,
    name: 'Hồ sơ trực tuyến',
    maxScore: null,
    compute: (g) => {
      const fresh = g.counters.newOnline + g.counters.newOffline;
      return {
        numerator: g.counters.onlineCounted,
        denominator: fresh,
        rate: percent(g.counters.onlineCounted, fresh),
        score: null,
        maxScore: 0,
        note: 'score of the 12-point online-services group is not reproducible (indicators-766.md §5); denominator not scaled by the sync ratio',
      };
    },
  },
  not('3.5', null, 'TTHC tích hợp thanh toán trực tuyến trên Cổng DVCQG', 2, "needs the portal's list of fee procedures integrated for payment"),
  { code: '3.5b', apiCode: null, name: 'TTHC có phát sinh thanh toán trực tuyến', maxScore: 2, compute: (g) => scoreThreshold(g.paidProcedures.size, g.feeProcedures.size, 2, 80) },
  {
    code: '3.6',
    apiCode: null,
    name: 'Hồ sơ thanh toán trực tuyến',
    maxScore: 6,
    compute: (g) => {
      const s = scoreLinear(g.counters.paidOnline, g.counters.financialObligation, 6);
      return { ...s, score: s.score ?? 0 }; // zero denominators give 0 in the payment group
    },
  },
  { code: '4.1', apiCode: 'ORIGINAL_RESULT_AVAILABLE', name: 'Hồ sơ có kết quả điện tử', maxScore: 6, compute: (g) => scoreLinear(g.counters.resultFile, received(g), 6) },
  {
    code: '4.2',
    apiCode: 'SO_HOA_GIAY_TO_GIAI_QUYET',
    name: 'Hồ sơ số hóa thành phần hồ sơ',
    maxScore: 4,
    // The formula document says 80 % threshold, but the API scores it linearly (53.06 % → 2.12).
    compute: (g) => scoreLinear(g.counters.digitised, received(g), 4),
  },
  { code: '4.3', apiCode: 'REUSED_DIGITIZED_DATA', name: 'Hồ sơ tái sử dụng dữ liệu số hóa', maxScore: 2, compute: (g) => scoreThreshold(g.counters.reused, received(g), 2, 80) },
  { code: '4.4', apiCode: 'SYNCED_WITH_DVCQG_PERSONAL_STORAGE', name: 'Hồ sơ số hóa kết nối kho dữ liệu cá nhân trên Cổng DVCQG', maxScore: 4, compute: (g) => scoreLinear(g.counters.personalStore, received(g), 4) },
  not('4.5a', 'CITIZEN_DATA_CONNECTED_FORMALITY', 'TTHC kết nối dữ liệu dân cư', 2, 'procedure-level connection, not visible on dossiers'),
  {
    code: '4.5b',
    apiCode: 'CITIZEN_DATA_CONNECTED_DOSSIER',
    name: 'Hồ sơ sử dụng dữ liệu dân cư',
    maxScore: 2,
    compute: (g, o) => ({
      ...scoreLinear(g.counters.populationData, received(g), 2),
      note: o.populationDbCodes?.length ? null : 'MaCSDL of the population database not configured: VNeID and personal-store dossiers only',
    }),
  },
  not('ECC', 'ELECTRONIC_CERTIFIED_COPY', 'Cung cấp chứng thực bản sao điện tử từ bản chính', 2, 'counts communes offering the service, not dossiers'),
  not('5.1', 'PETITION_CLASSIFICATION_TTHC', 'Phân loại PAKN', 0, 'needs petition (PAKN) data'),
  not('5.2', 'PETITION_PROCESSING_ON_TIME', 'PAKN xử lý đúng hạn', 6, 'needs petition (PAKN) data'),
  not('5.3', 'PETITION_HANDLING_SATISFACTION', 'Hài lòng trong xử lý PAKN', 6, 'needs petition (PAKN) data'),
  not('5.4', 'DOSSIER_RECEIVING_SATISFACTION', 'Hài lòng trong tiếp nhận, giải quyết TTHC', 6, 'needs petitions and dislikes per dossier'),
];

function evaluate(def: Def, g: TallyGroup, options: IndicatorOptions): IndicatorResult {
  const { code, apiCode, name, maxScore } = def;
  if ('reason' in def) return { code, apiCode, name, maxScore, computable: false, reason: def.reason };
  if (code === '1.4' && !options.syncedCodes) {
    return { code, apiCode, name, maxScore, computable: false, reason: 'needs the list of dossiers the portal holds (delivery receipts)' };
  }
  const s = def.compute(g, options);
  return { code, apiCode, name, maxScore: def.maxScore, computable: true, numerator: s.numerator, denominator: s.denominator, rate: s.rate, score: s.score, note: s.note ?? null };
}

const TOTAL_KEY = '\u0000total';

/** The indicators of all units together (the total row of the 766 report). */
function totalOf(groups: TallyGroup[], options: IndicatorOptions): UnitIndicators {
  const counters = emptyCounters();
  const feeProcedures = new Set<string>();
  const paidProcedures = new Set<string>();
  let syncDenominator = 0;
  for (const g of groups) {
    for (const name of COUNTER_NAMES) counters[name] += g.counters[name];
    for (const p of g.feeProcedures) feeProcedures.add(p);
    for (const p of g.paidProcedures) paidProcedures.add(p);
    const reported = (g.unitCode !== null ? options.nationalReportReceived?.[g.unitCode] : undefined) ?? 0;
    syncDenominator += Math.max(reported, received(g));
  }
  const merged: TallyGroup = { key: TOTAL_KEY, unitCode: TOTAL_KEY, unitName: 'Tổng cộng', fieldCode: null, fieldName: null, procedureCode: null, procedureName: null, counters, feeProcedures, paidProcedures, unbalanced: [], unknownOutcome: [], unknownProgress: [] };
  const totalOptions: IndicatorOptions = { ...options, nationalReportReceived: { [TOTAL_KEY]: syncDenominator } };
  return { unitCode: null, unitName: 'Tổng cộng', indicators: DEFINITIONS.map((def) => evaluate(def, merged, totalOptions)) };
}

/**
 * Streaming 766 indicators per unit for a period (use the dashboard's calendar periods).
 *
 * @example
 * const acc = createIndicatorAccumulator({ ...periodOf({ month: '2026-08', calendar: 'calendar' }), calendar: createCalendar() });
 * dossiers.forEach(acc.add);
 * acc.result().units[0].indicators.find((i) => i.code === '2.1'); // { numerator, denominator, rate, score, maxScore: 20, … }
 */
export function createIndicatorAccumulator(options: IndicatorOptions): { add(dossier: Dossier): void; result(): IndicatorsResult } {
  const tally = createPeriodTally({ ...options, groupBy: 'unit' });
  return {
    add: tally.add,
    result: () => ({
      period: tally.period,
      asOf: tally.asOf,
      units: tally.groups().map((g) => ({ unitCode: g.unitCode, unitName: g.unitName, indicators: DEFINITIONS.map((def) => evaluate(def, g, options)) })),
      total: totalOf(tally.groups(), options),
      warnings: tally.warnings(),
    }),
  };
}
