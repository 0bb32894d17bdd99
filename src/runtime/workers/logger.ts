/**
 * The Worker's logger: one JSON line per call on the console (Workers Logs collects it), with
 * the same masking as the Node logger (secrets by key, personal data by key and pattern).
 */
import type { Logger } from '../../logger.ts';
import { maskPersonalData, maskText } from '../../privacy.ts';

const LEVELS = { debug: 20, info: 30, warn: 40, error: 50 } as const;
type Level = keyof typeof LEVELS;

/**
 * @example
 * const log = createWorkerLogger({ service: 'worker' }, 'info');
 * log.child({ requestId }).info({ sourceId }, 'pulled');
 */
export function createWorkerLogger(bindings: Record<string, unknown> = {}, level: string = 'info'): Logger {
  const min = LEVELS[(level in LEVELS ? level : 'info') as Level];
  const write = (lvl: Level) => (a: object | string, msg?: string) => {
    if (LEVELS[lvl] < min) return;
    const fields = typeof a === 'string' ? { msg: maskText(a) } : { ...maskPersonalData(a), ...(msg === undefined ? {} : { msg: maskText(msg) }) };
    const line = JSON.stringify({ level: lvl, time: new Date().toISOString(), ...maskPersonalData(bindings), ...fields });
    // eslint-disable-next-line no-console -- this file is the Worker's logger
    (lvl === 'error' ? console.error : lvl === 'warn' ? console.warn : console.log)(line);
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (more) => createWorkerLogger({ ...bindings, ...more }, level),
  } as Logger;
}
