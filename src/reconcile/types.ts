/**
 * Public shapes of a reconciliation (the JSON of `lienthong reconcile --format json`).
 */
import type { Bucket } from './buckets.ts';
import type { DiffStats } from './checksum.ts';

/** Why a dossier differs; one reason per dossier and place. */
export const REASONS = [
  'missing_in_ledger',
  'deleted_at_source',
  'quarantined',
  'not_delivered',
  'missing_on_portal',
  'portal_stale',
  'unit_mismatch',
  'period_mismatch',
  'duplicate_code',
  'portal_unverifiable',
] as const;
export type Reason = (typeof REASONS)[number];

export const REASON_LABELS_VI: Record<Reason, string> = {
  missing_in_ledger: 'Hệ thống một cửa có, cổng kết nối chưa lấy về (hoặc chưa lấy phiên bản mới)',
  deleted_at_source: 'Đã bị xoá ở hệ thống một cửa',
  quarantined: 'Bị cách ly do dữ liệu không hợp lệ',
  not_delivered: 'Chưa đồng bộ lên Cổng (đang chờ hoặc lỗi)',
  missing_on_portal: 'Cổng đã xác nhận nhưng không còn hồ sơ',
  portal_stale: 'Cổng giữ trạng thái hoặc ngày cũ',
  unit_mismatch: 'Khác đơn vị xử lý',
  period_mismatch: 'Chênh lệch ngày làm hồ sơ rơi sang kỳ khác',
  duplicate_code: 'Trùng mã hồ sơ giữa các hệ thống',
  portal_unverifiable: 'Không đối chiếu được với Cổng (câu trả lời thiếu trường hoặc không đọc được)',
};

export interface ReconcileScope {
  target: string;
  source?: string;
  /** Inclusive local dates (Asia/Ho_Chi_Minh). */
  from: string;
  to: string;
  unit?: string;
}

export interface CountRow {
  unitCode: string;
  bucket: Bucket;
  /** null = that side could not be counted for this row (see notes). */
  source: number | null;
  ledger: number | null;
  delivered: number | null;
  portal: number | null;
  /** Biểu 06 rows: the available columns disagree; 766 rows: delivered ≠ portal. */
  differs: boolean;
}

export interface Difference {
  code: string;
  unitCode: string | null;
  reason: Reason;
  detail: Record<string, unknown>;
}

export interface FieldDifference {
  field: string;
  ledger: string;
  portal: string;
}

export interface SourceStats {
  id: string;
  /** false: the source could not be compared (it cannot be listed: push-only); its column is unknown, never "equal". */
  compared: boolean;
  /** Why it was not compared, or why deletions were not inferred from it. */
  note?: string;
  keys?: DiffStats & { onlyLedger: number; onlySource: number; changed: number };
}

export interface ReconcileStats {
  sources: SourceStats[];
  ledger: { dossiersExamined: number; inScope: number };
  portal: { lookups: number; lookupsPlanned: number; lookupsSkipped: number; published: boolean; unitsLookedUp: string[] };
  ms: number;
}

export interface ReconcileReport {
  id: string;
  createdAt: string;
  createdBy: string | null;
  scope: ReconcileScope;
  counts: CountRow[];
  differences: Difference[];
  notes: string[];
  stats: ReconcileStats;
  /** 0 everything agrees; 2 differences found, or a source could not be compared. */
  exitCode: 0 | 2;
}
