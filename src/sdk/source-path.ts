/**
 * Where a file of the TypeScript sources lives, also when the caller runs compiled from `dist/`.
 * The scaffold writes `.ts` files that import the SDK's sources and lands them in the project's own
 * `adapters/` folder, never inside the build output (which `npm run build` replaces).
 */
import { fileURLToPath } from 'node:url';

const BUILT = /([\\/])dist([\\/])(?=(?:src|adapters|schemas)[\\/])/;

/** `…/dist/src/sdk/index.ts` → `…/src/sdk/index.ts`; any other path is returned as it is. */
export function sourcePathOf(url: URL | string): string {
  const path = typeof url === 'string' ? url : fileURLToPath(url);
  const at = path.search(BUILT);
  if (at < 0) return path;
  // The last `dist/` segment is the build output (a checkout may itself sit under a folder named dist).
  let last = at;
  for (let i = path.slice(at + 1).search(BUILT); i >= 0; i = path.slice(last + 1).search(BUILT)) last = last + 1 + i;
  return path.slice(0, last) + path.slice(last).replace(BUILT, '$1');
}
