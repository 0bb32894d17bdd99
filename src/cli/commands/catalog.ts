/**
 * `lienthong catalog sync|show`: the procedure catalogue (danh mục TTHC) in the ledger, read from a
 * portal or provincial proxy (LayDanhSachTTHC + LayThuTuc) or a file; shown with Vietnam-time dates
 * and Vietnamese number format.
 */
import { ConfigError } from '../../errors.ts';
import { localTime } from '../../pipeline/target-failure.ts';
import { listCatalog, type StoredEntry } from '../../catalog/store.ts';
import { syncCatalog } from '../../catalog/sync.ts';
import { parse } from '../args.ts';
import { withLedger } from '../context.ts';
import { table } from '../format.ts';

export const help = `lienthong catalog sync [--target ID | --file PATH] [--json]
lienthong catalog show [CODE] [--json]
  The procedure catalogue (danh mục TTHC) in the ledger: national codes and names, field (lĩnh vực)
  codes and names, time limits and 15:00 cut-offs, with when each entry was fetched and last changed.
  sync reads it from a target (LayDanhSachTTHC, then LayThuTuc per procedure; a session target with its
  login, a bare-array provincial proxy with GETs and the target's auth) or from a file in the format of
  reports.catalog (src/rules/data/procedures.sample.json), and prints added / changed / unchanged / skipped.
  A bad entry is skipped with its field named; the others are stored (exit code 2 when any was skipped).
  Deadlines and reports use the stored catalogue when there is one (reports.catalog is the fallback).
  show prints dates as dd/MM/yyyy HH:mm (Vietnam time); --json keeps ISO instants.
  Example: npx lienthong catalog sync --target tinh && npx lienthong catalog show 2.000908`;

const nf = new Intl.NumberFormat('vi-VN');
const UNITS: Record<string, string> = { working_days: 'ngày làm việc', working_hours: 'giờ làm việc', calendar_days: 'ngày', months: 'tháng' };
const dmy = (day: string | null) => (day ? `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}` : '');

/** One entry as people read it: `3 ngày làm việc`, dates in Vietnam time. */
export function describeEntry(e: StoredEntry): string[] {
  return [
    `${e.code}  ${e.name}`,
    `  lĩnh vực: ${[e.fieldCode, e.fieldName].filter(Boolean).join(' · ') || '—'}`,
    `  thời hạn: ${e.timeLimit.value === 0 && e.timeLimit.unit === 'working_days' ? 'trong ngày' : `${nf.format(e.timeLimit.value)} ${UNITS[e.timeLimit.unit] ?? e.timeLimit.unit}`}${e.cutoff ? ` (nhận sau ${e.cutoff} tính từ ngày làm việc tiếp theo)` : ''}`,
    ...(e.validFrom || e.validTo ? [`  hiệu lực: ${dmy(e.validFrom) || '…'} – ${dmy(e.validTo) || '…'}`] : []),
    ...(e.basis ? [`  căn cứ: ${e.basis}`] : []),
    `  nguồn: ${e.source} · lấy lúc ${localTime(e.fetchedAt)} · thay đổi lúc ${localTime(e.changedAt)}`,
  ];
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { target: { type: 'string' }, file: { type: 'string' } });
  const [sub, code] = positionals;
  if (values.help || !sub) {
    console.log(help);
    return values.help ? 0 : 1;
  }
  if (sub !== 'sync' && sub !== 'show') throw new ConfigError(`unknown subcommand "${sub}" (sync or show)`);
  if (sub === 'sync' && values.target !== undefined && values.file !== undefined) throw new ConfigError('catalog sync takes --target ID or --file PATH, not both');
  return withLedger(values.config, async (ledger, config) => {
    if (sub === 'sync') {
      const r = await syncCatalog(ledger, config, { ...(values.file !== undefined ? { file: values.file } : {}), ...(values.target !== undefined ? { target: values.target } : {}) });
      if (values.json) console.log(JSON.stringify(r, null, 2));
      else {
        for (const p of r.problems) console.error(`skipped ${p.entry}: ${p.field}: ${p.message}`);
        if (!values.quiet) console.log(`Catalogue from ${r.source}: ${nf.format(r.added)} added, ${nf.format(r.changed)} changed, ${nf.format(r.unchanged)} unchanged, ${nf.format(r.skipped)} skipped.`);
      }
      return r.skipped ? 2 : 0;
    }
    const entries = await listCatalog(ledger, code);
    if (code !== undefined && !entries.length) {
      console.error(`lienthong catalog: no procedure ${code} in the stored catalogue (run \`lienthong catalog sync\`)`);
      return 1;
    }
    if (values.json) console.log(JSON.stringify(entries, null, 2));
    else if (!entries.length) console.log('No stored catalogue (run `lienthong catalog sync --target ID` or `--file PATH`).');
    else if (code !== undefined) console.log(entries.flatMap(describeEntry).join('\n'));
    else {
      console.log(
        table(
          ['mã TTHC', 'tên', 'lĩnh vực', 'thời hạn', 'hiệu lực từ', 'lấy lúc'],
          entries.map((e) => [e.code, e.name.length > 60 ? `${e.name.slice(0, 59)}…` : e.name, e.fieldCode, `${nf.format(e.timeLimit.value)} ${UNITS[e.timeLimit.unit] ?? e.timeLimit.unit}`, dmy(e.validFrom), localTime(e.fetchedAt)]),
        ),
      );
      console.log(`${nf.format(entries.length)} thủ tục.`);
    }
    return 0;
  });
}
