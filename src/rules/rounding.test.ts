import { describe, expect, it } from 'vitest';
import { percent, roundRatio, sum2 } from './rounding.ts';

// Expected values worked out by hand (long division), not by the code under test.
describe('roundRatio', () => {
  it('rounds an exact half up where floating point would not', () => {
    expect(roundRatio(1955, 1000)).toBe(1.96); // 1.955 exactly
    expect(roundRatio(1005, 1000)).toBe(1.01); // 1.005 exactly; 1.005.toFixed(2) is "1.00"
    expect(roundRatio(1, 8)).toBe(0.13); // 0.125
    expect(roundRatio(1, 8, 3)).toBe(0.125);
  });

  it('rounds below a half down and above it up', () => {
    expect(roundRatio(1, 3)).toBe(0.33); // 0.333…
    expect(roundRatio(2, 3)).toBe(0.67); // 0.666…
    expect(roundRatio(1, 3, 0)).toBe(0);
    expect(roundRatio(2, 3, 0)).toBe(1);
    expect(roundRatio(174, 89)).toBe(1.96); // 1.9550…
  });

  it('takes zero as a numerator', () => {
    expect(roundRatio(0, 7)).toBe(0);
  });

  it('refuses what is not a whole numerator ≥ 0 over a whole denominator > 0', () => {
    expect(() => roundRatio(-1, 5)).toThrow(RangeError);
    expect(() => roundRatio(1, 0)).toThrow(/den > 0/); // not BigInt's own division by zero
    expect(() => roundRatio(1, -3)).toThrow(RangeError);
    expect(() => roundRatio(1.5, 2)).toThrow(/whole num/);
    expect(() => roundRatio(1, 2.5)).toThrow(/whole num/);
  });
});

describe('percent', () => {
  it('is a percentage with two decimals', () => {
    expect(percent(87, 89)).toBe(97.75); // 97.7528…
    expect(percent(2, 8)).toBe(25);
    expect(percent(1, 3)).toBe(33.33);
    expect(percent(0, 4)).toBe(0);
  });

  it('is null when there is nothing to divide by', () => {
    expect(percent(0, 0)).toBeNull();
    expect(percent(3, 0)).toBeNull();
  });
});

describe('sum2', () => {
  it('adds 2-decimal figures without float drift, nulls as zero', () => {
    expect(sum2([7.96, 0.01])).toBe(7.97);
    expect(sum2([0.1, 0.2])).toBe(0.3); // 0.1 + 0.2 is 0.30000000000000004 in floats
    expect(sum2([null, 1.25, null])).toBe(1.25);
    expect(sum2([])).toBe(0);
  });
});
