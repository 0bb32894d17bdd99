/**
 * One pass over dossiers for a period: classifies each, places it in the Biểu 06 columns and counts
 * the facts behind the rates. Biểu 06 and the 766 indicators are projections of this tally.
 * Memory grows with the groups and the flagged dossier codes, plus one Set of codes to catch
 * duplicates, never with whole dossiers.
 */
import type { Dossier } from '../../schemas/dossier.ts';
import type { WorkingCalendar } from './calendar.ts';
import { classifyDossier, type ClassificationIssue } from './classify.ts';
import { epochOf } from './dates.ts';
import * as facts from './dossier-facts.ts';
import type { OfficeHours } from './office-hours.ts';
import { periodBounds, periodEndInstant, type Period } from './periods.ts';
import type { ProcedureCatalog } from './procedures.ts';

export type GroupBy = 'unit' | 'field' | 'procedure';

export interface PeriodTallyOptions extends Period {
  groupBy: GroupBy;
  calendar: WorkingCalendar;
  /** Judgement instant; default the last instant of the period. Use "now" for the current period. */
  asOf?: string;
  catalog?: ProcedureCatalog;
  officeHours?: OfficeHours;
  /** The ledger's original appointment of a dossier, when NgayHenTra may have been rescheduled (§4). */
  originalDueAt?: (dossier: Dossier) => string | null;
  /** Dossier codes the portal holds (766 1.4); absent = sync rate not computable. */
  syncedCodes?: ReadonlySet<string>;
  /** MaCSDL codes of the population database (766 4.5b). */
  populationDbCodes?: readonly string[];
}

export const COUNTER_NAMES = [
  'carriedOver', 'newOnline', 'newOffline',
  'resolvedEarly', 'resolvedOnTime', 'resolvedLate', 'resolvedUnknown',
  'inProgressWithin', 'inProgressOverdue', 'inProgressUnknown',
  'onTime766', 'digitised', 'resultFile', 'reused', 'personalStore', 'populationData',
  'onlineCounted', 'financialObligation', 'paidOnline', 'synced',
] as const;
export type TallyCounters = Record<(typeof COUNTER_NAMES)[number], number>;

export interface TallyGroup {
  key: string;
  unitCode: string | null;
  unitName: string;
  fieldCode: string | null;
  fieldName: string | null;
  procedureCode: string | null;
  procedureName: string | null;
  counters: TallyCounters;
  /** Distinct procedures with a fee / with an online payment (766 3.5b). */
  feeProcedures: Set<string>;
  paidProcedures: Set<string>;
  /** Dossiers on only one side of "received = resolved + in progress". */
  unbalanced: string[];
  unknownOutcome: string[];
  unknownProgress: string[];
}

/**
 * The key of a report row: the unit (its code, else its name), then the field or the procedure.
 * @example rowKey('field', { unitCode: '000.00.01.H44', unitName: 'Sở Tư pháp', fieldCode: 'HT' }) // '000.00.01.H44|HT'
 */
export function rowKey(
  groupBy: GroupBy,
  r: { unitCode: string | null; unitName: string; fieldCode?: string | null | undefined; fieldName?: string | null | undefined; procedureCode?: string | null | undefined },
): string {
  const unit = r.unitCode ?? `name:${r.unitName}`;
  if (groupBy === 'field') return `${unit}|${r.fieldCode ?? r.fieldName ?? ''}`;
  if (groupBy === 'procedure') return `${unit}|${r.procedureCode ?? ''}`;
  return unit;
}

export interface RuleWarning {
  code: string;
  message: string;
  /** Row key, or null for the whole report. */
  key: string | null;
  dossierCodes: string[];
}

const ISSUE_MESSAGES: Record<ClassificationIssue | 'duplicate_dossier', string> = {
  no_receipt_time: 'dossier has a status after reception but no NgayTiepNhan; not counted',
  no_due_date: 'no NgayHenTra and no catalogued time limit: cannot be split into on time / late',
  end_time_missing: 'end status without an end time: counted as in progress',
  end_before_receipt: 'end of processing is before NgayTiepNhan',
  duplicate_dossier: 'dossier code added more than once; only the first was counted',
};

export function emptyCounters(): TallyCounters {
  return Object.fromEntries(COUNTER_NAMES.map((n) => [n, 0])) as TallyCounters;
}

/** @example const tally = createPeriodTally({ from: '2026-10-01', to: '2026-10-31', groupBy: 'unit', calendar }); */
export function createPeriodTally(options: PeriodTallyOptions) {
  const bounds = periodBounds(options);
  const asOf = options.asOf ?? periodEndInstant(options);
  const asOfMs = epochOf(asOf);
  if (asOfMs < bounds.start || asOfMs >= bounds.endExclusive) throw new RangeError(`asOf ${asOf} is outside the period ${options.from} → ${options.to}`);
  const population = new Set(options.populationDbCodes ?? []);
  const groups = new Map<string, TallyGroup>();
  const seen = new Set<string>();
  const flagged = new Map<ClassificationIssue | 'duplicate_dossier', string[]>();
  const flag = (issue: ClassificationIssue | 'duplicate_dossier', code: string): void => {
    const list = flagged.get(issue);
    if (list) list.push(code);
    else flagged.set(issue, [code]);
  };

  function groupOf(d: Dossier): TallyGroup {
    const key = rowKey(options.groupBy, { unitCode: d.unit.code, unitName: d.unit.name, fieldCode: d.procedure.fieldCode, fieldName: d.procedure.fieldName, procedureCode: d.procedure.code });
    let g = groups.get(key);
    if (!g) {
      const byField = options.groupBy === 'field';
      const byProcedure = options.groupBy === 'procedure';
      g = {
        key,
        unitCode: d.unit.code,
        unitName: d.unit.name,
        fieldCode: byField ? d.procedure.fieldCode : null,
        fieldName: byField ? d.procedure.fieldName : null,
        procedureCode: byProcedure ? d.procedure.code : null,
        procedureName: byProcedure ? d.procedure.name : null,
        counters: emptyCounters(),
        feeProcedures: new Set(),
        paidProcedures: new Set(),
        unbalanced: [],
        unknownOutcome: [],
        unknownProgress: [],
      };
      groups.set(key, g);
    }
    return g;
  }

  function add(d: Dossier): void {
    if (seen.has(d.code)) {
      flag('duplicate_dossier', d.code);
      return;
    }
    seen.add(d.code);
    const original = options.originalDueAt?.(d) ?? null;
    const c = classifyDossier(d, { calendar: options.calendar, asOf, originalDueAt: original, ...(options.catalog ? { catalog: options.catalog } : {}), ...(options.officeHours ? { officeHours: options.officeHours } : {}) });
    for (const issue of c.issues) flag(issue, d.code);
    if (!c.received && c.notReceivedReason !== 'received_after_as_of') return;

    const receivedMs = epochOf(c.receivedAt as string);
    const endMs = c.end ? epochOf(c.end.at) : null;
    const endedBefore = endMs !== null && endMs < bounds.start;
    // Each column by its own criterion, as the form defines it, so bad data breaks the identity
    // visibly instead of disappearing: new = received in the period; carried over = received
    // before and not finished at the start; resolved = ended in the period.
    const inReceived = c.received && (receivedMs >= bounds.start || !endedBefore);
    const inResolved = endMs !== null && endMs >= bounds.start && endMs <= asOfMs;
    const inProgress = inReceived && !c.finished;
    if (!inReceived && !inResolved) return;

    const g = groupOf(d);
    const n = g.counters;
    if (inReceived) {
      const isNew = receivedMs >= bounds.start;
      if (!isNew) n.carriedOver += 1;
      else if (d.channel === 'online') n.newOnline += 1;
      else n.newOffline += 1; // counter, postal, or not sent (766 counts it as counter)
      if (c.onTime766 === true) n.onTime766 += 1;
      if (facts.hasDigitisedComponents(d)) n.digitised += 1;
      if (facts.hasResultFile(d)) n.resultFile += 1;
      if (facts.reusesDigitisedData(d)) n.reused += 1;
      if (facts.usesPersonalStore(d)) n.personalStore += 1;
      if (facts.usesPopulationData(d, population)) n.populationData += 1;
      if (options.syncedCodes?.has(d.code)) n.synced += 1;
      if (facts.hasFinancialObligation(d)) {
        n.financialObligation += 1;
        g.feeProcedures.add(d.procedure.code);
        if (facts.paidOnline(d)) {
          n.paidOnline += 1;
          g.paidProcedures.add(d.procedure.code);
        }
      }
      // 3.3: an online dossier of a procedure that returns a document counts only with an e-result.
      const needsEResult = c.finished && options.catalog?.find(d.procedure.code)?.returnsDocument === true;
      if (isNew && d.channel === 'online' && (!needsEResult || facts.hasElectronicResult(d))) n.onlineCounted += 1;
    }
    if (inResolved) {
      if (c.outcome === 'early') n.resolvedEarly += 1;
      else if (c.outcome === 'on_time') n.resolvedOnTime += 1;
      else if (c.outcome === 'late') n.resolvedLate += 1;
      else {
        n.resolvedUnknown += 1;
        g.unknownOutcome.push(d.code);
      }
    }
    if (inProgress) {
      if (c.inProgress === 'within_deadline') n.inProgressWithin += 1;
      else if (c.inProgress === 'overdue') n.inProgressOverdue += 1;
      else {
        n.inProgressUnknown += 1;
        g.unknownProgress.push(d.code);
      }
    }
    if (inReceived !== (inResolved || inProgress)) g.unbalanced.push(d.code);
  }

  function warnings(): RuleWarning[] {
    return [...flagged.entries()].map(([code, dossierCodes]) => ({ code, message: ISSUE_MESSAGES[code], key: null, dossierCodes }));
  }

  return {
    period: { from: options.from, to: options.to } as Period,
    asOf,
    add,
    groups: (): TallyGroup[] => [...groups.values()].sort((a, b) => a.key.localeCompare(b.key)),
    warnings,
  };
}

export type PeriodTally = ReturnType<typeof createPeriodTally>;
