/**
 * The Chromium the browser suite drives: `CHROMIUM_PATH` when set, else the system's
 * `/usr/bin/chromium` when it exists, else the build shipped inside the `@sparticuz/chromium`
 * npm package (unpacked to the temporary folder on first use), so `npm install && npm test`
 * needs nothing installed by hand.
 */
import { existsSync } from 'node:fs';
import sparticuz from '@sparticuz/chromium';

export interface BrowserBinary {
  executablePath: string;
  args: string[];
  /** Where it came from, for the test's log. */
  origin: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';
}

/** Flags every launch gets: no sandbox (root), and no background traffic on a closed network. */
const COMMON = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function findChromium(): Promise<BrowserBinary> {
  const fromEnv = process.env['CHROMIUM_PATH'];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`);
    return { executablePath: fromEnv, args: ['--headless', ...COMMON], origin: 'CHROMIUM_PATH' };
  }
  if (existsSync('/usr/bin/chromium')) return { executablePath: '/usr/bin/chromium', args: ['--headless', ...COMMON], origin: 'system' };
  const executablePath = await sparticuz.executablePath();
  // The package's own flags (headless shell, single process, software GL) plus ours.
  return { executablePath, args: [...new Set([...sparticuz.args, ...COMMON])], origin: '@sparticuz/chromium' };
}
