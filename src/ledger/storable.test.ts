import { describe, expect, it } from 'vitest';
import { hasUnstorable, storableCopy, storableJsonText, storableText, unstorableIssues } from './storable.ts';

describe('values PostgreSQL refuses', () => {
  it('shows a NUL as ␀ and a lone surrogate as �, keeping surrogate pairs', () => {
    expect(storableText('a\u0000b\ud800c\udc00d')).toBe('a\u2400b\ufffdc\ufffdd');
    expect(storableText('Hòa 😀')).toBe('Hòa 😀');
  });

  it('escapes only the JSON escapes jsonb refuses', () => {
    expect(storableJsonText('{"a":"x\\u0000y","b":"\\ud800","c":"\\ud83d\\ude00","d":"\\\\u0000","e":"\\u00e0"}')).toBe(
      '{"a":"x\\u2400y","b":"\\ufffd","c":"\\ud83d\\ude00","d":"\\\\u0000","e":"\\u00e0"}',
    );
  });

  it('names every refused key (keys of an object first) and text by its JSON path, and nesting deeper than 100 levels', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const issues = unstorableIssues({ A: ['ok', 'n\u0000'], ['k\u0000']: 1, B: { C: deep } }, 'HS-1');
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ['k\u2400', 'unstorable_text'],
      ['A[1]', 'unstorable_text'],
      [`B.C${'[0]'.repeat(98)}`, 'too_deep'],
    ]);
    expect(issues[1]?.message).toMatch(/^record "HS-1": the field holds a NUL \(U\+0000\)/);
    expect(hasUnstorable({ deep })).toBe(true);
    expect(hasUnstorable({ a: ['ok', { b: 'Hòa' }] })).toBe(false);
  });

  it('copies a value into one PostgreSQL stores, a "__proto__" key staying data', () => {
    const input = JSON.parse('{"__proto__": {"MaTTHC": "1.0"}, "T": "a\\u0000"}') as Record<string, unknown>;
    const copy = storableCopy(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'T']);
    expect(copy['T']).toBe('a\u2400');
    expect((copy as { MaTTHC?: unknown }).MaTTHC).toBeUndefined();
  });
});
