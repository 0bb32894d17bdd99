/**
 * Repair of mojibake inside UTF-8 text: a field that was TCVN3, VNI or windows-1258 bytes, read as
 * windows-1252 (or ISO-8859-1) and stored as UTF-8. "Céng hßa x· héi" is TCVN3 for "Cộng hòa xã
 * hội"; "Vieät Nam" is VNI for "Việt Nam"; "Viêòt Nam" is windows-1258 for "Việt Nam".
 *
 * The field is turned back into the bytes the 1252 reader saw and decoded with each legacy
 * encoding; a decoding replaces the text only when it is clearly more Vietnamese. Text with any
 * character a 1252 reader cannot produce (ă, ơ, ư, đ, ộ…, so nearly all real Vietnamese) is never
 * a candidate, and neither is text whose words are already all valid.
 */
import { encodeCp1252 } from './cp1252.ts';
import { decodeSingleByte, SINGLE_BYTE_ENCODINGS, type SingleByteEncoding } from './decode.ts';
import { scoreText, vietnameseness, type TextScore } from './score.ts';

export type RepairResult = { text: string; repaired: false } | { text: string; repaired: true; from: SingleByteEncoding };

/**
 * A decoding is accepted when it has fewer invalid non-ASCII words and more valid ones than the
 * input, at least two valid words for each invalid one, and more valid than invalid words counting
 * ASCII ones too — the last keeps French "Là où je vais" (VNI would make "où" → "ó") as it is.
 */
function isClearlyBetter(candidate: TextScore, input: TextScore): boolean {
  return (
    candidate.bad < input.bad &&
    candidate.good > input.good &&
    candidate.good >= 2 * candidate.bad &&
    candidate.good + candidate.asciiGood > candidate.bad + candidate.asciiBad
  );
}

/**
 * Repairs a string that is legacy Vietnamese bytes misread as windows-1252. Anything else comes
 * back NFC-normalised and otherwise unchanged, with `repaired: false`.
 *
 * @example
 * repairText('Céng hßa x· héi'); // { text: 'Cộng hòa xã hội', repaired: true, from: 'tcvn3' }
 * repairText('Vieät Nam');       // { text: 'Việt Nam', repaired: true, from: 'vni' }
 * repairText('Cộng hòa xã hội'); // { text: 'Cộng hòa xã hội', repaired: false }
 */
export function repairText(s: string): RepairResult {
  const text = s.normalize('NFC');
  const unchanged: RepairResult = { text, repaired: false };
  const bytes = encodeCp1252(text);
  if (bytes === undefined || bytes.every((b) => b < 0x80)) return unchanged;
  const input = scoreText(text, { misread: true });
  if (input.bad === 0) return unchanged;
  let best: RepairResult = unchanged;
  let bestScore = -Infinity;
  for (const encoding of SINGLE_BYTE_ENCODINGS) {
    const candidate = decodeSingleByte(bytes, encoding);
    const score = scoreText(candidate);
    if (candidate === text || !isClearlyBetter(score, input)) continue;
    if (vietnameseness(score) > bestScore) {
      best = { text: candidate, repaired: true, from: encoding };
      bestScore = vietnameseness(score);
    }
  }
  return best;
}

export interface RepairWarning {
  /** JSON path of the repaired string, e.g. `TaiLieuNop[0].TenTepDinhKem`. */
  path: string;
  message: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/**
 * Repairs every string in a JSON value (see {@link repairText}), returning a new value; every
 * string comes back NFC. Each repair is reported with the JSON path of its string; `path` prefixes
 * them. Object keys and non-plain objects (Date, Buffer) are left as they are.
 *
 * @example
 * repairDeep({ TaiLieuNop: [{ TenTepDinhKem: 'GiÊy khai sinh' }] });
 * // { value: { TaiLieuNop: [{ TenTepDinhKem: 'Giấy khai sinh' }] },
 * //   warnings: [{ path: 'TaiLieuNop[0].TenTepDinhKem', message: 'repaired tcvn3 mojibake: "GiÊy khai sinh" → "Giấy khai sinh"' }] }
 */
export function repairDeep<T>(value: T, path = ''): { value: T; warnings: RepairWarning[] } {
  const warnings: RepairWarning[] = [];
  const walk = (node: unknown, at: string): unknown => {
    if (typeof node === 'string') {
      const result = repairText(node);
      if (result.repaired) {
        warnings.push({ path: at, message: `repaired ${result.from} mojibake: "${node}" → "${result.text}"` });
      }
      return result.text;
    }
    if (Array.isArray(node)) return node.map((item: unknown, i) => walk(item, childPath(at, i)));
    if (isPlainObject(node)) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(node)) out[key] = walk(item, childPath(at, key));
      return out;
    }
    return node;
  };
  return { value: walk(value, path) as T, warnings };
}
