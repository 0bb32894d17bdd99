/**
 * A declarative mapping, JSON-serialisable so it can live in a source's options: portal field ←
 * raw field path, with trims, joins, constants, date formats, inline value tables and the
 * per-source code tables (status + sub-status → 1–10, procedure codes, unit codes).
 *
 * ```json
 * { "fields": {
 *     "MaHoSo": "so_ho_so",
 *     "TenTTHC": { "from": "thu_tuc.ten" },
 *     "ChuHoSo": { "from": ["ho", "ten"], "join": " " },
 *     "NgayTiepNhan": { "from": "ngay_nhan", "date": "dd/MM/yyyy HH:mm[:ss]" },
 *     "TrangThaiHoSo": { "from": "trang_thai", "sub": "trang_thai_con", "table": "status" },
 *     "KenhThucHien": { "from": "kenh", "values": { "Trực tiếp": "1", "Trực tuyến": "2" } },
 *     "HinhThuc": { "const": "0" } },
 *   "tables": { "status": { "DANG_XU_LY": 4 }, "subStatus": { "DANG_XU_LY/CHO_KY": 4 } } }
 * ```
 */
import { z } from 'zod';
import { UNIT_CODE_RE } from '../../../schemas/dossier.ts';

const national = z.number().int().min(1).max(10);
const formats = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

export const FieldRuleObjectSchema = z.strictObject({
  /** Raw path, or several: the first non-empty one, or all joined with `join`. */
  from: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  /** A constant value (when the source has no such field). */
  const: z.string().optional(),
  /** Joins every non-empty `from` value with this separator. */
  join: z.string().optional(),
  /** Trim surrounding white space (default true). */
  trim: z.boolean().optional(),
  /** Date format(s) of this field (default: the mapping's `dateFormat`, for date fields). */
  date: formats.optional(),
  /** A per-source code table. */
  table: z.enum(['status', 'procedure', 'unit']).optional(),
  /** With `table: "status"`: the sub-status path (looked up as `status/sub`, then `sub`). */
  sub: z.string().min(1).optional(),
  /** An inline value table (`"Trực tuyến": "2"`); keys also match without diacritics or case. */
  values: z.record(z.string(), z.string()).optional(),
  /** Used when the source value is absent or empty. */
  default: z.string().optional(),
});
export const FieldRuleSchema = z.union([z.string().min(1), FieldRuleObjectSchema]);
export type FieldRule = z.infer<typeof FieldRuleSchema>;

export const CodeTablesSchema = z.strictObject({
  /** Local status → national 1–10. A value already 1–10 passes without an entry. */
  status: z.record(z.string(), national).default({}),
  /** `status/sub` or `sub` → national 1–10; wins over `status`. */
  subStatus: z.record(z.string(), national).default({}),
  /** Local procedure code → national MaTTHC (absent: kept as is). */
  procedure: z.record(z.string(), z.string().min(1)).default({}),
  /** Local unit code → official unit code (`000.00.00.H48`). */
  unit: z.record(z.string(), z.string().regex(UNIT_CODE_RE, 'a unit code like 000.00.00.H48')).default({}),
});
export type CodeTables = z.infer<typeof CodeTablesSchema>;
export type CodeTablesInput = z.input<typeof CodeTablesSchema>;

/** Portal lists a mapping can fill, each from one raw array. */
export const LIST_FIELDS = ['QuaTrinhXuLy', 'TaiLieuNop', 'DanhSachLePhi', 'DanhSachGiayToKetQua', 'DanhSachTepDinhKemKhac', 'DinhDanhCHS', 'DSKetNoiCSDL'] as const;

export const ListRuleSchema = z.strictObject({
  /** Raw path of the array. */
  from: z.string().min(1),
  /** Item field ← path inside one raw item. */
  fields: z.record(z.string(), FieldRuleSchema),
});

export const MappingSpecSchema = z.strictObject({
  fields: z.record(z.string(), FieldRuleSchema).default({}),
  lists: z.partialRecord(z.enum(LIST_FIELDS), ListRuleSchema).default({}),
  /** Format(s) of date fields without their own `date` (see `toPortalDate`). */
  dateFormat: formats.default(['portal', 'iso']),
  tables: CodeTablesSchema.default({ status: {}, subStatus: {}, procedure: {}, unit: {} }),
  /** Repair TCVN3/VNI/windows-1258 mojibake in strings, with a warning on the dossier (default true). */
  repair: z.boolean().default(true),
});
export type MappingSpec = z.infer<typeof MappingSpecSchema>;
export type MappingSpecInput = z.input<typeof MappingSpecSchema>;
