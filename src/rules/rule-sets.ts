/**
 * Rule sets versioned by receipt date (rules.md §0): a dossier keeps the rules in force when it was
 * received. The operational rules that matter for timing carried over from NĐ 61/2018 into
 * NĐ 118/2025 (supplement once, reschedule once, 15:00 transfer), so the sets differ in their
 * legal basis, forms and the evaluation points, not in how a deadline is counted.
 */
import { localDateOf } from './dates.ts';

export type RuleSetId = 'nd61_2018' | 'nd118_2025';

export interface RuleSet {
  id: RuleSetId;
  /** First and last local receipt dates (inclusive); null = open. */
  from: string | null;
  to: string | null;
  basis: string;
  /** Name of form 04 (apology and new date) in this era (§6). */
  apologyForm: string;
  maxReschedules: number;
  maxSupplementRequests: number;
  transferCutoff: string;
  /**
   * Per-dossier points trước hạn / đúng hạn / quá hạn. NĐ 61/2018's 2/1/0 [R]; whether NĐ 118/2025
   * kept them is open (rules.md §17 q2), so that set has null rather than a guess.
   */
  evaluationPoints: { early: number; onTime: number; late: number } | null;
}

export const RULE_SETS: readonly RuleSet[] = [
  {
    id: 'nd61_2018',
    from: null,
    to: '2025-06-30',
    basis: 'NĐ 61/2018/NĐ-CP (sửa đổi bởi NĐ 107/2021/NĐ-CP), TT 01/2018/TT-VPCP',
    apologyForm: 'Mẫu 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả',
    maxReschedules: 1,
    maxSupplementRequests: 1,
    transferCutoff: '15:00',
    evaluationPoints: { early: 2, onTime: 1, late: 0 },
  },
  {
    id: 'nd118_2025',
    from: '2025-07-01',
    to: null,
    basis: 'NĐ 118/2025/NĐ-CP (sửa đổi bởi NĐ 367/2025/NĐ-CP), TT 03/2025/TT-VPCP',
    apologyForm: 'Mẫu 04: Phiếu/Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết',
    maxReschedules: 1,
    maxSupplementRequests: 1,
    transferCutoff: '15:00',
    evaluationPoints: null,
  },
];

/**
 * The rule set of a dossier from its official receipt instant (local date in Vietnam).
 * @example ruleSetFor('2025-06-30T17:00:00.000Z').id // 'nd118_2025' (00:00 on 1/7/2025 local)
 */
export function ruleSetFor(receivedAt: string): RuleSet {
  const date = localDateOf(receivedAt);
  const found = RULE_SETS.find((r) => (r.from === null || r.from <= date) && (r.to === null || date <= r.to));
  if (!found) throw new RangeError(`no rule set covers ${date}`);
  return found;
}
