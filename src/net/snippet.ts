/**
 * A peer's answer shortened for an error message (an HTML error page can be large): whitespace
 * flattened, cut at `max` characters with `…`. `mask` runs before the cut (a source's messages mask
 * citizen IDs, phones and e-mails here; a portal's are cleaned later, secrets first, by its transport).
 *
 * @example
 * snippet('<html>\n  Bảo trì hệ thống\n</html>'); // '<html> Bảo trì hệ thống </html>'
 */
export function snippet(text: string, max = 200, mask: (text: string) => string = (t) => t): string {
  const flat = mask(text.replace(/\s+/g, ' ').trim());
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
