/**
 * Field paths into raw records: `hoSo.chuHoSo.hoTen`, `items[0].ten`, `["Ngày hẹn trả"]`.
 * A key that exists as written (a CSV header with dots or spaces) wins over splitting it.
 */

/** Splits `a.b[0]["c d"]` into `['a', 'b', 0, 'c d']`. */
export function splitPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|([^.[\]]+)/g;
  for (let m = re.exec(path); m; m = re.exec(path)) {
    if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[2] !== undefined) out.push(m[2].replace(/\\(.)/g, '$1'));
    else if (m[3] !== undefined) out.push(m[3]);
  }
  return out;
}

/**
 * The value at `path` in `value`, or undefined.
 *
 * @example
 * getPath({ hoSo: { ma: 'X' } }, 'hoSo.ma'); // 'X'
 * getPath({ 'Ngày nhận': '01/02/2024' }, 'Ngày nhận'); // '01/02/2024'
 */
export function getPath(value: unknown, path: string): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, path)) {
    return (value as Record<string, unknown>)[path];
  }
  let cur: unknown = value;
  for (const key of splitPath(path)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

/** `base` + child key as a path (`items[0]`, `a.b`, `["x.y"]` when the key has a dot). */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  const safe = /^[^.[\]"]+$/.test(key) ? key : `["${key.replace(/["\\]/g, '\\$&')}"]`;
  if (base === '') return safe;
  return safe.startsWith('[') ? `${base}${safe}` : `${base}.${safe}`;
}

/**
 * Every leaf (scalar) path of a JSON value, arrays collapsed to `[]` (`items[].name`).
 *
 * @example
 * leafPaths({ a: 1, b: [{ c: 'x' }] }); // ['a', 'b[].c']
 */
export function leafPaths(value: unknown, base = ''): string[] {
  const out = new Set<string>();
  const walk = (node: unknown, at: string): void => {
    if (Array.isArray(node)) {
      if (node.length === 0) out.add(at);
      for (const item of node) walk(item, `${at}[]`);
      return;
    }
    if (node !== null && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) walk(v, joinPath(at, k));
      return;
    }
    out.add(at);
  };
  walk(value, base);
  return [...out];
}
