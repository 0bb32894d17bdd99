/**
 * `lienthong deadline`: the due date of a dossier from its receipt time and time limit, with the
 * state-agency working-day calendar (src/rules). Times without a zone are Vietnam local time.
 */
import { readFile } from 'node:fs/promises';
import { GatewayError } from '../../errors.ts';
import {
  computeDeadline,
  createCalendar,
  formatDateVi,
  instantAt,
  loadCalendarData,
  loadProcedureCatalog,
  localDateOf,
  OfficeHoursSchema,
  type CalendarData,
  type DeadlineInput,
  type OfficeHours,
  type TimeLimit,
} from '../../rules/index.ts';
import { formatInstantVi } from '../../reports/formats/vi-number.ts';
import { parse } from '../args.ts';

export const help = `lienthong deadline --received WHEN LIMIT [options]
  WHEN     "13/02/2026 10:00" (as this command and the reports print it), 13/02/2026, 2026-02-13T10:00
           or "2026-02-13 10:00" (Vietnam time), or an ISO instant with Z/offset
  LIMIT    one of --working-days N | --working-hours N | --calendar-days N | --months N
           or --procedure CODE --catalog FILE (time limit and 15:00 cut-off from the catalogue)
  Options:
    --cutoff HH:MM          receipts after this time count from the next working day (§13.4)
    --calendar-data FILE    extra official holiday arrangements (JSON, see src/rules/data/holidays.json)
    --office-hours SPEC     e.g. 07:30-11:30,13:30-17:00 (default 08:00-12:00,13:00-17:00)
    --cultural-day-from D   treat 24/11 as a holiday from date D (Labour Code amendment)
    --json                  print {"dueDate":"YYYY-MM-DD","dueAt":"<ISO instant>"}
  Prints dd/MM/yyyy, or "dd/MM/yyyy HH:mm" for hour limits (Vietnam time).
  Example: npx lienthong deadline --received "13/02/2026 10:00" --working-days 3   → 25/02/2026`;

class UsageError extends GatewayError {
  constructor(message: string) {
    super('usage_error', message);
  }
}

const LIMIT_FLAGS = { 'working-days': 'working_days', 'working-hours': 'working_hours', 'calendar-days': 'calendar_days', months: 'months' } as const;
type LimitFlag = keyof typeof LIMIT_FLAGS;

/** `dd/MM/yyyy[ HH:mm[:ss]]` or `HH:mm dd/MM/yyyy` (the way people and this tool write it) → `YYYY-MM-DD[THH:MM[:SS]]`. */
function fromVietnamese(raw: string): string | null {
  const dm = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(raw) ?? null;
  const tm = dm ? null : /^(\d{1,2}):(\d{2})(?::(\d{2}))?,?\s+(?:ngày\s+)?(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw);
  if (!dm && !tm) return null;
  const [d, mo, y, h, mi, s] = dm ? [dm[1], dm[2], dm[3], dm[4], dm[5], dm[6]] : [tm?.[4], tm?.[5], tm?.[6], tm?.[1], tm?.[2], tm?.[3]];
  const date = `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return h === undefined ? date : `${date}T${String(h).padStart(2, '0')}:${mi}${s === undefined ? '' : `:${s}`}`;
}

/** Local `dd/MM/yyyy HH:mm`, `YYYY-MM-DD[THH:MM[:SS]]` → instant; strings with a zone are parsed as given. */
export function parseReceived(raw: string): string {
  const text = raw.trim().normalize('NFC');
  const local = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(fromVietnamese(text) ?? text);
  if (local) {
    const [, date, h = '0', m = '0', s = '0'] = local;
    if (Number(h) > 23 || Number(m) > 59 || Number(s) > 59) throw new UsageError(`--received has an impossible time: ${raw}`);
    try {
      return instantAt(date as string, Number(h) * 60 + Number(m) + Number(s) / 60);
    } catch {
      throw new UsageError(`--received is not a real date: ${raw}`);
    }
  }
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(raw) && !Number.isNaN(Date.parse(raw))) return new Date(raw).toISOString();
  throw new UsageError(`--received must look like "13/02/2026 10:00" or 2026-02-13T10:00 (Vietnam time), or carry a zone, got "${raw}"`);
}

function parseOfficeHours(raw: string): OfficeHours {
  const sessions = raw.split(',').map((part) => {
    const [start = '', end = ''] = part.trim().split('-');
    return { start, end };
  });
  const parsed = OfficeHoursSchema.safeParse({ sessions });
  if (!parsed.success) throw new UsageError(`--office-hours must look like 08:00-12:00,13:00-17:00, got "${raw}"`);
  return parsed.data;
}

async function readJson(flag: string, file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--${flag}: cannot read ${file}: ${(e as Error).message}`);
  }
}

async function run_(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      received: { type: 'string' },
      'working-days': { type: 'string' },
      'working-hours': { type: 'string' },
      'calendar-days': { type: 'string' },
      months: { type: 'string' },
      procedure: { type: 'string' },
      catalog: { type: 'string' },
      cutoff: { type: 'string' },
      'calendar-data': { type: 'string' },
      'office-hours': { type: 'string' },
      'cultural-day-from': { type: 'string' },
    },
    false,
  );
  if (values.help) {
    console.log(help);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.received === undefined) throw new UsageError('--received is required');
  const receivedAt = parseReceived(values.received);

  const given = (Object.keys(LIMIT_FLAGS) as LimitFlag[]).filter((f) => values[f] !== undefined);
  const sources = given.length + (values.procedure !== undefined ? 1 : 0);
  if (sources !== 1) throw new UsageError('give exactly one of --working-days, --working-hours, --calendar-days, --months or --procedure');

  let limit: TimeLimit;
  let cutoff: string | null = null;
  const flag = given[0];
  if (flag !== undefined) {
    const raw = values[flag] as string;
    const value = Number(raw);
    const min = flag === 'working-days' ? 0 : 1;
    if (!/^\d+$/.test(raw) || value < min) throw new UsageError(`--${flag} must be a whole number ≥ ${min}, got "${raw}"`);
    limit = { value, unit: LIMIT_FLAGS[flag] };
  } else {
    if (values.catalog === undefined) throw new UsageError('--procedure needs --catalog FILE');
    const catalog = loadProcedureCatalog(await readJson('catalog', values.catalog));
    const receiptDate = localDateOf(receivedAt);
    const procedure = catalog.find(values.procedure as string, receiptDate);
    if (!procedure) throw new UsageError(`procedure ${values.procedure} is not in ${values.catalog} (valid on ${receiptDate})`);
    limit = procedure.timeLimit;
    cutoff = procedure.cutoff;
  }
  if (values.cutoff !== undefined) {
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(values.cutoff)) throw new UsageError(`--cutoff must be HH:MM, got "${values.cutoff}"`);
    cutoff = values.cutoff;
  }

  const data: CalendarData[] = values['calendar-data'] === undefined ? [] : [loadCalendarData(await readJson('calendar-data', values['calendar-data']))];
  const culturalDayFrom = values['cultural-day-from'] ?? null;
  if (culturalDayFrom !== null && !/^\d{4}-\d{2}-\d{2}$/.test(culturalDayFrom)) throw new UsageError(`--cultural-day-from must be YYYY-MM-DD, got "${culturalDayFrom}"`);
  const calendar = createCalendar({ data, culturalDayFrom });
  const officeHours = values['office-hours'] === undefined ? undefined : parseOfficeHours(values['office-hours']);

  const input: DeadlineInput = { receivedAt, limit, cutoff };
  const due = computeDeadline(input, officeHours ? { calendar, officeHours } : { calendar });
  if (values.json) {
    console.log(JSON.stringify({ dueDate: due.dueDate, dueAt: due.dueAt }));
  } else if (limit.unit === 'working_hours') {
    console.log(formatInstantVi(due.dueAt));
  } else {
    console.log(formatDateVi(due.dueDate));
  }
  return 0;
}

/**
 * Runs `lienthong deadline` with the arguments after the command name.
 * @example await run(['--received', '2026-02-13T10:00', '--working-days', '3']) // prints 25/02/2026, returns 0
 */
export async function run(argv: string[]): Promise<number> {
  try {
    return await run_(argv);
  } catch (e) {
    const message = e instanceof GatewayError ? e.message : (e as Error).message;
    console.error(`lienthong deadline: ${message}\n\n${help}`);
    return 1;
  }
}
