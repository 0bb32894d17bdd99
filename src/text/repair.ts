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

/** Deeper than this, a value is not walked: an issue says so and its record is quarantined. */
export const MAX_REPAIR_DEPTH = 64;

export interface RepairIssue {
  /** JSON path of the value nested too deep. */
  path: string;
  code: 'too_deep';
  message: string;
}

/** Sets an own enumerable property, even for a key named `__proto__`: a key is data, never the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * Repairs every string in a JSON value (see {@link repairText}), returning a new value; every
 * string comes back NFC. Each repair is reported with the JSON path of its string; `path` prefixes
 * them. Object keys and non-plain objects (Date, Buffer) are left as they are.
 *
 * Hostile input is safe: the walk is iterative (any depth, no recursion); an array or object
 * nested {@link MAX_REPAIR_DEPTH} levels deep is not walked and comes back as an `issues` entry
 * (the caller quarantines the record); every object is built with own properties, so a
 * `"__proto__"` key stays an own key (data) and never sets the prototype.
 *
 * @example
 * repairDeep({ TaiLieuNop: [{ TenTepDinhKem: 'GiÊy khai sinh' }] });
 * // { value: { TaiLieuNop: [{ TenTepDinhKem: 'Giấy khai sinh' }] },
 * //   warnings: [{ path: 'TaiLieuNop[0].TenTepDinhKem', message: 'repaired tcvn3 mojibake: "GiÊy khai sinh" → "Giấy khai sinh"' }],
 * //   issues: [] }
 */
export function repairDeep<T>(value: T, path = ''): { value: T; warnings: RepairWarning[]; issues: RepairIssue[] } {
  const warnings: RepairWarning[] = [];
  const issues: RepairIssue[] = [];
  const root: { value: unknown } = { value: undefined };
  type Task = { node: unknown; at: string; depth: number; put: (v: unknown) => void };
  const stack: Task[] = [{ node: value, at: path, depth: 0, put: (v) => (root.value = v) }];
  while (stack.length) {
    const { node, at, depth, put } = stack.pop()!;
    if (typeof node === 'string') {
      const result = repairText(node);
      if (result.repaired) {
        warnings.push({ path: at, message: `repaired ${result.from} mojibake: "${node}" → "${result.text}"` });
      }
      put(result.text);
      continue;
    }
    const isArray = Array.isArray(node);
    if (!isArray && !isPlainObject(node)) {
      put(node);
      continue;
    }
    if (depth >= MAX_REPAIR_DEPTH) {
      issues.push({ path: at, code: 'too_deep', message: `is nested deeper than ${MAX_REPAIR_DEPTH} levels: the record is quarantined` });
      put(node);
      continue;
    }
    const children: Task[] = [];
    if (isArray) {
      const out: unknown[] = new Array<unknown>((node as unknown[]).length);
      put(out);
      (node as unknown[]).forEach((item: unknown, i) => children.push({ node: item, at: childPath(at, i), depth: depth + 1, put: (v) => (out[i] = v) }));
    } else {
      const out: Record<string, unknown> = {};
      put(out);
      const obj = node as Record<string, unknown>;
      for (const key of Object.keys(obj)) {
        setOwn(out, key, undefined);
        children.push({ node: obj[key], at: childPath(at, key), depth: depth + 1, put: (v) => setOwn(out, key, v) });
      }
    }
    // Reversed onto the stack, so that warnings come in document order.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return { value: root.value as T, warnings, issues };
}
