/**
 * Dialects of the portal simulator: behaviours of real portals and provincial proxies that differ
 * from the clean contract, switched on by name (`lienthong portal-sim --dialect a,b` or the
 * `dialect: ['a', 'b']` option). Without a dialect the simulator stays contract-strict.
 *
 * | name          | what the simulated portal does instead of the clean contract |
 * |---------------|---------------------------------------------------------------|
 * | `oauth2`      | `POST /oauth2/token` (form-encoded `grant_type=client_credentials`, `client_id`, `client_secret`) answers `{access_token, token_type:"Bearer", expires_in}`; every service route then needs `Authorization: Bearer <token>`; an unknown or expired token gets HTTP 401. `expires_in` is `tokenTtlSeconds` (default 60); `expireSessions()` expires tokens too. |
 * | `busy-200`    | every `busyEvery`-th push (default 3rd: calls 3, 6, …) is answered HTTP 200 `{error_code:"-1", message:"Hệ thống đang bận, vui lòng thử lại sau"}` without storing anything. |
 * | `expiry-2`    | an expired session or token is answered HTTP 200 `{error_code:"-2", message:"Mã xác thực không còn hiệu lực"}` (no session word the built-in rules know). |
 * | `exists-3`    | an insert of a held dossier is answered `{error_code:"-3", message:"Trùng mã hồ sơ <code>"}` (without "đã tồn tại"); with `preload` the portal starts holding those dossiers, as after an older connector. |
 * | `text-limits` | a record whose GhiChu > 2000, TrichYeuHoSo > 1000, NguoiXuLy > 50, TenTepDinhKem > 4000 or TenGiayTo > 2000 characters (code points) is rejected (`-2`, naming the field). The strict wire schema already refuses these lengths; the dialect also counts by code point and names nested paths. |
 * | `upper-keys`  | TraCuuHoSo result items use UPPER-CASE keys (`MAHOSO`, `TRANGTHAIHOSO`, …), as DVCQG sharing answers do. |
 * | `windows-1258`| every JSON answer is encoded in windows-1258 with `Content-Type: application/json; charset=windows-1258`. |
 */
import iconv from 'iconv-lite';
import { z } from 'zod';

export const SIM_DIALECTS = ['oauth2', 'busy-200', 'expiry-2', 'exists-3', 'text-limits', 'upper-keys', 'windows-1258'] as const;
export type SimDialect = (typeof SIM_DIALECTS)[number];
export const SimDialectSchema = z.enum(SIM_DIALECTS);

export const MSG_BUSY = 'Hệ thống đang bận, vui lòng thử lại sau';
export const MSG_EXPIRED_2 = 'Mã xác thực không còn hiệu lực';
export const DEFAULT_OAUTH_CLIENT_ID = 'lienthong';
export const DEFAULT_OAUTH_CLIENT_SECRET = 'client-secret';
export const OAUTH_TOKEN_PATH = '/oauth2/token';

/** Text limits real portals enforce by rejection (characters). */
export const SIM_TEXT_LIMITS = { GhiChu: 2000, TrichYeuHoSo: 1000, NguoiXuLy: 50, TenTepDinhKem: 4000, TenGiayTo: 2000 } as const;

/** Parses a comma list of dialect names; throws an Error naming the unknown ones and the known ones. */
export function parseDialects(raw: string | readonly string[] | undefined): SimDialect[] {
  if (raw === undefined) return [];
  const names = (typeof raw === 'string' ? raw.split(',') : [...raw]).map((s) => s.trim()).filter((s) => s !== '');
  const unknown = names.filter((n) => !(SIM_DIALECTS as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`unknown dialect ${unknown.map((u) => JSON.stringify(u)).join(', ')}; known: ${SIM_DIALECTS.join(', ')}`);
  return [...new Set(names as SimDialect[])];
}

/** The first over-long text of a record (any depth), as `path: n > limit`, or null. */
export function overLongText(value: unknown, path = ''): string | null {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = overLongText(value[i], `${path}[${i}]`);
      if (hit) return hit;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const here = path ? `${path}.${k}` : k;
      const limit = (SIM_TEXT_LIMITS as Record<string, number>)[k];
      if (limit !== undefined && typeof v === 'string' && [...v].length > limit) return `${here}: ${[...v].length} ký tự > ${limit}`;
      const hit = overLongText(v, here);
      if (hit) return hit;
    }
  }
  return null;
}

/** Object keys upper-cased (TraCuuHoSo answers of the `upper-keys` dialect). */
export function upperKeys(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k.toUpperCase(), v]));
}

/**
 * Encodes text in windows-1258. That code page has few precomposed Vietnamese letters: a letter
 * it lacks is written as its base (with circumflex, breve or horn when the page has that) plus
 * a combining tone mark, as old Windows stacks do. Decoding gives the NFD-like form; NFC of it is
 * the original text.
 */
export function encodeWindows1258(text: string): Buffer {
  const parts: Buffer[] = [];
  for (const ch of text.normalize('NFC')) parts.push(encodeChar(ch));
  return Buffer.concat(parts);
}

function representable(s: string): Buffer | null {
  const b = iconv.encode(s, 'windows1258');
  return iconv.decode(b, 'windows1258') === s ? b : null;
}

function encodeChar(ch: string): Buffer {
  const direct = representable(ch);
  if (direct) return direct;
  const [base = '', ...marks] = [...ch.normalize('NFD')];
  // Base with one mark composed (ê, ă, ơ …), the other marks combining.
  for (let i = 0; i < marks.length; i++) {
    const head = representable((base + marks[i]).normalize('NFC'));
    const tail = representable(marks.filter((_, j) => j !== i).join(''));
    if (head && tail) return Buffer.concat([head, tail]);
  }
  const plain = representable(base);
  const rest = representable(marks.join(''));
  if (plain && rest) return Buffer.concat([plain, rest]);
  return iconv.encode(ch, 'windows1258');
}
