/**
 * Legal rules as pure functions over canonical dossiers: working-day calendar, deadlines,
 * classification (trước hạn / đúng hạn / quá hạn), Biểu 06 and the 766 indicators.
 */
export { addDays, addMonths, formatDateVi, instantAt, isDate, localDateOf, localMinutesOf } from './dates.ts';
export { hungKingsDay, lunarNewYearsEve, lunarToSolar, tetDate } from './lunar.ts';
export { computedDaysOff, statutoryHolidays, type DayOff, type DayOffKind } from './holidays.ts';
export {
  BUNDLED_CALENDAR_DATA,
  CalendarDataSchema,
  loadCalendarData,
  type CalendarData,
  type CalendarYear,
} from './calendar-data.ts';
export { createCalendar, type CalendarOptions, type DayKind, type DayReason, type WorkingCalendar } from './calendar.ts';
export { DEFAULT_OFFICE_HOURS, OfficeHoursSchema, addOfficeHours, officeMinutesBetween, type OfficeHours } from './office-hours.ts';
export {
  ProcedureCatalogSchema,
  TIME_LIMIT_UNITS,
  loadProcedureCatalog,
  type Procedure,
  type ProcedureCatalog,
  type TimeLimit,
  type TimeLimitUnit,
} from './procedures.ts';
export {
  apologyDeadline,
  computeDeadline,
  deadlineForProcedure,
  extendByPauses,
  rescheduleDeadline,
  type Deadline,
  type DeadlineInput,
  type DeadlineOptions,
  type DueDates,
  type Pause,
} from './deadline.ts';
export { RULE_SETS, ruleSetFor, type RuleSet, type RuleSetId } from './rule-sets.ts';
export { END_STATUSES, endOfProcessing, mergePauses, paymentPauses, supplementPauses, supplementRequestCount, type EndOfProcessing } from './dossier-events.ts';
export {
  classifyDossier,
  type Classification,
  type ClassificationIssue,
  type ClassifyOptions,
  type DueSource,
  type NotReceivedReason,
} from './classify.ts';
export { periodBounds, periodEndInstant, periodOf, type Period, type PeriodCalendar, type PeriodSpec } from './periods.ts';
export { rowKey, type GroupBy, type PeriodTallyOptions, type RuleWarning } from './period-tally.ts';
export {
  checkCarryOver,
  createBieu06Accumulator,
  type Bieu06Counts,
  type Bieu06Options,
  type Bieu06Rates,
  type Bieu06Result,
  type Bieu06Row,
  type CarryOverSide,
} from './bieu06.ts';
export { percent, roundRatio } from './rounding.ts';
export {
  groupTotal,
  scoreLinear,
  scorePayment,
  scorePetition,
  scoreProgress,
  scoreSatisfaction,
  scoreThreshold,
  type MetricScore,
} from './scoring-766.ts';
export { createIndicatorAccumulator, type IndicatorOptions, type IndicatorResult, type IndicatorsResult, type UnitIndicators } from './indicators.ts';
