/**
 * Structured JSON logs (pino). Secrets, session tokens, citizen ID numbers, phones and e-mails
 * never reach a log line: secrets by key, personal data by key and by pattern in free text.
 * Every line of one HTTP request carries its `requestId` (a child logger, see src/http/app.ts).
 */
import pino from 'pino';
import { maskPersonalData, maskText } from './privacy.ts';

/** What the rest of the code needs of a logger (pino's shape; easy to provide on any runtime). */
export interface Logger {
  info(obj: object, msg?: string): void;
  info(msg: string): void;
  warn(obj: object, msg?: string): void;
  warn(msg: string): void;
  error(obj: object, msg?: string): void;
  error(msg: string): void;
  debug(obj: object, msg?: string): void;
  debug(msg: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level?: string;
  /** Where lines go (default stdout); tests pass a stream to read them. */
  destination?: pino.DestinationStream;
  /** Fields on every line, e.g. `{ service: 'serve' }`. */
  base?: Record<string, unknown>;
}

/**
 * @example
 * const log = createLogger({ level: 'info', base: { service: 'serve' } });
 * log.child({ requestId: 'abc' }).info({ sourceId: 'qt-motcua' }, 'ingest accepted');
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env['LOG_LEVEL'] ?? 'info',
      base: { pid: process.pid, ...options.base },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'msg',
      // Errors are turned into { type, message, code } by the masking below (formatters run first);
      // pino's own serializer would then see a plain object and log { type: 'Object', stack: '' }.
      serializers: { err: (e: unknown) => e },
      formatters: {
        level: (label) => ({ level: label }),
        // Bindings (child fields) and every object logged go through the same masking.
        bindings: (b) => maskPersonalData(b),
        log: (obj) => maskPersonalData(obj),
      },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === 'string' ? maskText(a) : a)) as Parameters<typeof method>;
          method.apply(this, masked);
        },
      },
    },
    options.destination ?? pino.destination(1),
  ) as unknown as Logger;
}

/** A logger that drops everything (tests and library use without logging). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' }) as unknown as Logger;
}
