/**
 * Biểu số 06/VPCP/KSTT (TT 01/2020/TT-VPCP, rules.md §10.1) as a streaming reducer: add dossiers one
 * by one, read the table at the end. Counts are whole numbers, rates percentages with 2 decimals.
 */
import type { Dossier } from '../../schemas/dossier.ts';
import { createPeriodTally, emptyCounters, COUNTER_NAMES, type PeriodTallyOptions, type RuleWarning, type TallyCounters, type TallyGroup } from './period-tally.ts';
import { addDays } from './dates.ts';
import type { Period } from './periods.ts';
import { percent, roundRatio } from './rounding.ts';

export type Bieu06Options = PeriodTallyOptions;

export interface Bieu06Counts {
  /** Số hồ sơ nhận giải quyết: total = carriedOver + new; new = online + offline (trực tiếp, bưu chính). */
  received: { total: number; carriedOver: number; new: number; online: number; offline: number };
  /** Số hồ sơ đã giải quyết: trước hạn, đúng hạn, quá hạn. */
  resolved: { total: number; early: number; onTime: number; late: number };
  /** Số hồ sơ đang giải quyết at the judgement instant: trong hạn, quá hạn. */
  inProgress: { total: number; withinDeadline: number; overdue: number };
}

export interface Bieu06Rates {
  /** (trước hạn + đúng hạn) ÷ đã giải quyết. */
  resolvedOnTime: number | null;
  /** (đã giải quyết quá hạn + đang giải quyết quá hạn) ÷ tổng nhận (local "tỷ lệ trễ hạn", §10.3). */
  late: number | null;
  /** Nhận mới trực tuyến ÷ nhận mới. */
  online: number | null;
  /** With digitised components ÷ tổng nhận (766 4.2 denominator). */
  digitisation: number | null;
  /** With a result file ÷ tổng nhận (766 4.1 denominator). */
  eResult: number | null;
  /** Paid online ÷ with a fee (766 3.6). */
  onlinePayment: number | null;
  /** 766 2.1 ratio; 0 when nothing was received, as the dashboard publishes. */
  onTime766: number;
  /** 766 2.1 score = 20 × ratio. */
  score766: number;
}

export interface Bieu06Row extends Bieu06Counts {
  key: string;
  unitCode: string | null;
  unitName: string;
  fieldCode: string | null;
  fieldName: string | null;
  procedureCode: string | null;
  procedureName: string | null;
  rates: Bieu06Rates;
}

export interface Bieu06Result {
  period: Period;
  asOf: string;
  groupBy: Bieu06Options['groupBy'];
  rows: Bieu06Row[];
  totals: Bieu06Counts & { rates: Bieu06Rates };
  warnings: RuleWarning[];
}

function countsOf(n: TallyCounters): Bieu06Counts {
  const fresh = n.newOnline + n.newOffline;
  const resolved = n.resolvedEarly + n.resolvedOnTime + n.resolvedLate + n.resolvedUnknown;
  const inProgress = n.inProgressWithin + n.inProgressOverdue + n.inProgressUnknown;
  return {
    received: { total: n.carriedOver + fresh, carriedOver: n.carriedOver, new: fresh, online: n.newOnline, offline: n.newOffline },
    resolved: { total: resolved, early: n.resolvedEarly, onTime: n.resolvedOnTime, late: n.resolvedLate },
    inProgress: { total: inProgress, withinDeadline: n.inProgressWithin, overdue: n.inProgressOverdue },
  };
}

function ratesOf(n: TallyCounters, c: Bieu06Counts): Bieu06Rates {
  const total = c.received.total;
  return {
    resolvedOnTime: percent(c.resolved.early + c.resolved.onTime, c.resolved.total),
    late: percent(c.resolved.late + c.inProgress.overdue, total),
    online: percent(c.received.online, c.received.new),
    digitisation: percent(n.digitised, total),
    eResult: percent(n.resultFile, total),
    onlinePayment: percent(n.paidOnline, n.financialObligation),
    onTime766: percent(n.onTime766, total) ?? 0,
    score766: total === 0 ? 0 : roundRatio(20 * n.onTime766, total),
  };
}

function identityWarnings(g: TallyGroup, c: Bieu06Counts): RuleWarning[] {
  const out: RuleWarning[] = [];
  const { received, resolved, inProgress } = c;
  if (received.total !== resolved.total + inProgress.total) {
    out.push({ code: 'identity_received', key: g.key, dossierCodes: g.unbalanced, message: `tổng nhận ${received.total} ≠ đã giải quyết ${resolved.total} + đang giải quyết ${inProgress.total}` });
  }
  if (resolved.total !== resolved.early + resolved.onTime + resolved.late) {
    out.push({ code: 'identity_resolved', key: g.key, dossierCodes: g.unknownOutcome, message: `đã giải quyết ${resolved.total} ≠ trước hạn + đúng hạn + quá hạn (${resolved.early + resolved.onTime + resolved.late})` });
  }
  if (inProgress.total !== inProgress.withinDeadline + inProgress.overdue) {
    out.push({ code: 'identity_in_progress', key: g.key, dossierCodes: g.unknownProgress, message: `đang giải quyết ${inProgress.total} ≠ trong hạn + quá hạn (${inProgress.withinDeadline + inProgress.overdue})` });
  }
  return out;
}

/**
 * Streaming Biểu 06 reducer.
 *
 * @example
 * const acc = createBieu06Accumulator({ ...periodOf({ month: '2026-10', calendar: 'admin' }), groupBy: 'unit', calendar: createCalendar() });
 * for await (const d of dossiers) acc.add(d);
 * const { rows, totals, warnings } = acc.result();
 */
export function createBieu06Accumulator(options: Bieu06Options): { add(dossier: Dossier): void; result(): Bieu06Result } {
  const tally = createPeriodTally(options);
  return {
    add: tally.add,
    result() {
      const groups = tally.groups();
      const warnings = [...tally.warnings()];
      const sum = emptyCounters();
      const rows = groups.map((g): Bieu06Row => {
        for (const name of COUNTER_NAMES) sum[name] += g.counters[name];
        const counts = countsOf(g.counters);
        warnings.push(...identityWarnings(g, counts));
        const { key, unitCode, unitName, fieldCode, fieldName, procedureCode, procedureName } = g;
        return { key, unitCode, unitName, fieldCode, fieldName, procedureCode, procedureName, ...counts, rates: ratesOf(g.counters, counts) };
      });
      const totals = countsOf(sum);
      return { period: tally.period, asOf: tally.asOf, groupBy: options.groupBy, rows, totals: { ...totals, rates: ratesOf(sum, totals) }, warnings };
    },
  };
}

/**
 * Continuity between consecutive periods: đang giải quyết (kỳ này) = tồn kỳ trước (kỳ sau), per row.
 * @example checkCarryOver(september.result(), october.result()) // [] when consistent
 */
/** What the carry-over check needs of a period's figures: its dates and each row's "đang giải quyết". */
export interface CarryOverSide {
  period: Period;
  rows: ReadonlyArray<{ key: string; inProgress: { total: number } }>;
}

export function checkCarryOver(previous: CarryOverSide, next: Bieu06Result): RuleWarning[] {
  if (addDays(previous.period.to, 1) !== next.period.from) {
    throw new RangeError(`periods are not consecutive: ${previous.period.to} → ${next.period.from}`);
  }
  const nextByKey = new Map(next.rows.map((r) => [r.key, r]));
  const keys = new Set([...previous.rows.map((r) => r.key), ...nextByKey.keys()]);
  const out: RuleWarning[] = [];
  for (const key of [...keys].sort()) {
    const before = previous.rows.find((r) => r.key === key)?.inProgress.total ?? 0;
    const after = nextByKey.get(key)?.received.carriedOver ?? 0;
    if (before !== after) {
      out.push({ code: 'carry_over_mismatch', key, dossierCodes: [], message: `đang giải quyết ${before} (${previous.period.to}) ≠ tồn kỳ trước ${after} (${next.period.from})` });
    }
  }
  return out;
}
