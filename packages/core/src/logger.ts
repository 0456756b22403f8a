/**
 * The logging surface `@ev` uses: structured fields first, message second. pino's loggers and `console`
 * both satisfy it.
 */
export interface Logger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

const ignore = (): void => {};

/** The default: `@ev` says nothing unless given a logger. */
export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

/** Fields as JSON: bigints as digits, errors as their name and message (not `{}`). */
function fieldsText(fields: Record<string, unknown>): string {
  const text = JSON.stringify(fields, (_key, value: unknown) => {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Error) return { name: value.name, message: value.message };
    return value;
  });
  return text === '{}' ? '' : ` ${text}`;
}

/**
 * A logger for a program that has none: one line per event (time, level, message, fields as JSON),
 * warnings and errors on stderr, the rest on stdout; debug lines only when asked for. Any pino logger fits
 * the same slot.
 */
export function consoleLogger({ debug = false }: { debug?: boolean } = {}): Logger {
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') => (fields: Record<string, unknown>, message: string) => {
      const line = `${new Date().toISOString()} ${level.padEnd(5)} ${message}${fieldsText(fields)}`;
      if (level === 'warn' || level === 'error') console.error(line);
      else console.log(line);
    };
  return {
    debug: debug ? write('debug') : ignore,
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
  };
}
