/**
 * Exact half-up rounding of ratios of whole numbers, as the 766 dashboard publishes them (2
 * decimals). Floating point would round 1.955 to 1.95; BigInt arithmetic gives 1.96.
 */

/**
 * round-half-up(num / den) to `decimals` places, for whole num ≥ 0 and den > 0.
 * @example roundRatio(87 * 2, 89) // 1.96
 */
export function roundRatio(num: number, den: number, decimals = 2): number {
  if (!Number.isInteger(num) || !Number.isInteger(den) || num < 0 || den <= 0) {
    throw new RangeError(`roundRatio needs whole num ≥ 0 and den > 0: ${num}/${den}`);
  }
  const scale = 10n ** BigInt(decimals);
  const n = BigInt(num) * scale * 2n + BigInt(den);
  const q = n / (2n * BigInt(den));
  return Number(q) / Number(scale);
}

/**
 * Percentage with two decimals; null when there is nothing to divide by.
 * @example percent(87, 89) // 97.75
 */
export function percent(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : roundRatio(100 * numerator, denominator);
}

/** Sum of 2-decimal numbers without float drift (7.96 + 0.01 stays 7.97). */
export function sum2(values: ReadonlyArray<number | null>): number {
  return values.reduce<number>((acc, v) => acc + Math.round((v ?? 0) * 100), 0) / 100;
}
