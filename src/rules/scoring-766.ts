/**
 * Scoring rules of the national 766 dashboard as reconstructed from its published counts
 * (indicators-766.md §5, rules.md §11). Ratios and scores are rounded half-up to 2 decimals, as
 * published; the API's own score stays authoritative, these are for computing our side.
 */
import { percent, roundRatio, sum2 } from './rounding.ts';

export interface MetricScore {
  numerator: number;
  denominator: number;
  /** Percentage, 2 decimals; null when the denominator is 0 (unless the rule says otherwise). */
  rate: number | null;
  /** Null = "no score" (left out of the group total), not 0. */
  score: number | null;
  maxScore: number;
}

function check(n: number, d: number): void {
  if (!Number.isInteger(n) || !Number.isInteger(d) || n < 0 || d < 0) throw new RangeError(`counts must be whole numbers ≥ 0: ${n}/${d}`);
}

/**
 * score = min(max, max·n/d); 0/0 → rate and score null (digitisation and transparency metrics).
 * @example scoreLinear(87, 89, 2) // { rate: 97.75, score: 1.96, … } PUBLIC_CONTENT_FULL
 */
export function scoreLinear(n: number, d: number, maxScore: number): MetricScore {
  check(n, d);
  if (d === 0) return { numerator: n, denominator: d, rate: null, score: null, maxScore };
  const score = n >= d ? maxScore : roundRatio(maxScore * n, d);
  return { numerator: n, denominator: d, rate: percent(n, d), score, maxScore };
}

/**
 * Threshold rule: reaching `threshold`% gives the maximum, below it ratio/threshold × max.
 * @example scoreThreshold(127, 5000, 2, 80).score // 0.06 (REUSED_DIGITIZED_DATA at 2.54 %)
 */
export function scoreThreshold(n: number, d: number, maxScore: number, threshold: number): MetricScore {
  check(n, d);
  if (d === 0) return { numerator: n, denominator: d, rate: null, score: null, maxScore };
  const num = maxScore * 100 * n;
  const den = threshold * d;
  return { numerator: n, denominator: d, rate: percent(n, d), score: num >= maxScore * den ? maxScore : roundRatio(num, den), maxScore };
}

/**
 * 2.1 progress: score = 20·onTime/received; nothing received → ratio 0, score 0.
 * @example scoreProgress(7, 12) // { rate: 58.33, score: 11.67, … }
 */
export function scoreProgress(onTime: number, received: number): MetricScore {
  check(onTime, received);
  if (received === 0) return { numerator: 0, denominator: 0, rate: 0, score: 0, maxScore: 20 };
  return { numerator: onTime, denominator: received, rate: percent(onTime, received), score: roundRatio(20 * onTime, received), maxScore: 20 };
}

/**
 * 5.4 satisfaction with receiving/handling (DRS): 90 % threshold, max 6; d = 0 → 0 and 0.
 * @example scoreSatisfaction(95, 100).score // 6
 */
export function scoreSatisfaction(n: number, d: number): MetricScore {
  if (d === 0) return { numerator: n, denominator: 0, rate: 0, score: 0, maxScore: 6 };
  return scoreThreshold(n, d, 6, 90);
}

/**
 * 5.2/5.3 petitions: 6·n/d; a unit without petitions gets full marks (ratio 0, score 6).
 * @example scorePetition(0, 0) // { rate: 0, score: 6, … }
 */
export function scorePetition(n: number, d: number): MetricScore {
  if (d === 0) return { numerator: n, denominator: 0, rate: 0, score: 6, maxScore: 6 };
  return scoreLinear(n, d, 6);
}

/**
 * Online-payment group (10): 6·A + min(2, 2.5·B) + min(2, 2.5·C), each part rounded half-up to 2
 * decimals before the sum (235 of 238 published rows exact); zero denominators give 0.
 * A = paid online ÷ dossiers with a fee; B = fee procedures integrated on the portal ÷ fee
 * procedures; C = procedures with an online payment ÷ distinct fee procedures with dossiers.
 * @example scorePayment({ a: [4, 4], b: [0, 5], c: [7, 8] }) // 8 (C capped at 2, not 2.19; unit H44.07)
 */
export function scorePayment(parts: { a: [number, number]; b: [number, number]; c: [number, number] }): number {
  const six = parts.a[1] === 0 ? 0 : roundRatio(6 * parts.a[0], parts.a[1]);
  const capped = ([n, d]: [number, number]): number => (d === 0 ? 0 : Math.min(2, roundRatio(5 * n, 2 * d)));
  return sum2([six, capped(parts.b), capped(parts.c)]);
}

/**
 * Group total = sum of the published (rounded) metric scores, null as 0; ratio = 100·total/max.
 * @example groupTotal([null, null, 1.96, 6], 18) // { total: 7.96, ratio: 44.22 } transparency group
 */
export function groupTotal(scores: ReadonlyArray<number | null>, groupMax: number): { total: number; ratio: number } {
  const total = sum2(scores);
  return { total, ratio: roundRatio(Math.round(total * 100), groupMax) };
}
