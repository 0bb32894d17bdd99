/**
 * Client of the national 766 dashboard's public reporting API (indicators-766.md §2): the progress
 * tree publishes, per unit and per month / quarter / year, how many dossiers the portal counts as
 * received, on time and overdue. Reconcile compares these with what the gateway delivered.
 *
 * @example
 * POST {baseUrl}/api/v1/reporting/evaluation/dvc-progress-tree
 * { "timeType": "month", "year": 2026, "month": 8, "rootDepartmentId": "019d…", "currentPage": 1, "pageSize": 100 }
 * → 201 { "code": "OK", "data": { "parent": {…}, "children": [{ "departmentCode": "H44.03", "totalReceived": 588,
 *         "totalOnTime": 486, "totalOverdue": 102, … }] }, "message": "OK" }
 */
import { z } from 'zod';
import type { TargetConfig } from '../../schemas/config.ts';
import { GatewayError, UpstreamHttpError, UpstreamNetworkError, UpstreamSchemaError } from '../errors.ts';
import { cleanMessage } from '../privacy.ts';
import { MAX_PORTAL_ANSWER_BYTES, readBodyWithin } from '../net/index.ts';
import { joinUrl } from './common.ts';

export type ReportingPeriod = { timeType: 'month'; year: number; month: number } | { timeType: 'quarter'; year: number; quarter: number } | { timeType: 'year'; year: number };

export interface PublishedUnitCounts {
  departmentId: string;
  departmentCode: string;
  departmentName: string;
  totalReceived: number;
  totalOnTime: number;
  totalOverdue: number;
}

const count = z.number().int().min(0);
export const ProgressTreeChildSchema = z.object({
  departmentId: z.string(),
  departmentCode: z.string(),
  departmentName: z.string(),
  totalReceived: count,
  totalOnTime: count,
  totalOverdue: count,
});
export const ProgressTreeAnswerSchema = z.object({
  code: z.string(),
  message: z.string().nullish(),
  data: z.object({
    children: z.array(ProgressTreeChildSchema),
    pagination: z.object({ currentPage: z.number().int(), totalPages: z.number().int() }).partial().nullish(),
  }),
});

export const PROGRESS_TREE_PATH = '/api/v1/reporting/evaluation/dvc-progress-tree';

/**
 * The calendar month, quarter or year a date range is, or null (the API has no free ranges, §3).
 *
 * @example reportingPeriodOf('2026-10-01', '2026-10-31') // { timeType: 'month', year: 2026, month: 10 }
 */
export function reportingPeriodOf(from: string, to: string): ReportingPeriod | null {
  const f = /^(\d{4})-(\d{2})-01$/.exec(from);
  if (!f) return null;
  const year = Number(f[1]);
  const first = Number(f[2]);
  const lastDay = (m: number) => new Date(Date.UTC(year, m, 0)).getUTCDate();
  const endOf = (m: number) => `${year}-${String(m).padStart(2, '0')}-${String(lastDay(m)).padStart(2, '0')}`;
  if (to === endOf(first)) return { timeType: 'month', year, month: first };
  if ((first - 1) % 3 === 0 && to === endOf(first + 2)) return { timeType: 'quarter', year, quarter: (first + 2) / 3 };
  if (first === 1 && to === endOf(12)) return { timeType: 'year', year };
  return null;
}

/**
 * Fetches every unit's published progress counts for a period (following pages while
 * `currentPage < totalPages`). Throws a GatewayError naming the target when the API fails.
 */
export async function fetchPublishedCounts(target: TargetConfig, period: ReportingPeriod, fetchFn: typeof fetch = fetch): Promise<PublishedUnitCounts[]> {
  const reporting = target.reporting;
  if (!reporting) throw new GatewayError('not_configured', `target "${target.id}" has no reporting API configured`);
  const url = joinUrl(reporting.baseUrl, PROGRESS_TREE_PATH);
  const out: PublishedUnitCounts[] = [];
  for (let page = 1; ; page++) {
    const body = JSON.stringify({ ...period, rootDepartmentId: reporting.rootDepartmentId, currentPage: page, pageSize: reporting.pageSize });
    let res: Response;
    let text: string;
    try {
      res = await fetchFn(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body, signal: AbortSignal.timeout(target.timeoutMs) });
      text = await readBodyWithin(res, MAX_PORTAL_ANSWER_BYTES, () => new UpstreamSchemaError(`${target.id} reporting API: the answer is larger than ${MAX_PORTAL_ANSWER_BYTES} bytes; not read`, { status: res.status, retryable: false }));
    } catch (cause) {
      if (cause instanceof GatewayError) throw cause;
      throw new UpstreamNetworkError(`${target.id} reporting API: ${cleanMessage((cause as Error).message)}`, { cause });
    }
    if (res.status < 200 || res.status > 299) throw new UpstreamHttpError(`${target.id} reporting API answered HTTP ${res.status}`, { status: res.status, retryable: res.status >= 500 });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new UpstreamSchemaError(`${target.id} reporting API answered a body that is not JSON`, { retryable: true });
    }
    const parsed = ProgressTreeAnswerSchema.safeParse(json);
    if (!parsed.success) throw new UpstreamSchemaError(`${target.id} reporting API answer: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { retryable: true });
    if (parsed.data.code !== 'OK') throw new GatewayError('upstream_rejected', `${target.id} reporting API: ${cleanMessage(`${parsed.data.code} ${parsed.data.message ?? ''}`)}`);
    out.push(...parsed.data.data.children);
    const p = parsed.data.data.pagination;
    if (!p || p.currentPage === undefined || p.totalPages === undefined || p.currentPage >= p.totalPages) return out;
  }
}
