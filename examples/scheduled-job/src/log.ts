import type { Logger } from '@ev/core';

function write(level: string, fields: Record<string, unknown>, message: string): void {
  const extra = JSON.stringify(fields, (_key, value: unknown) => {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Error) return { name: value.name, message: value.message };
    return value;
  });
  const line = `${new Date().toISOString()} ${level.padEnd(5)} ${message} ${extra === '{}' ? '' : extra}`;
  if (level === 'error' || level === 'warn') console.error(line);
  else console.log(line);
}

/** A one-line-per-event console logger; any pino logger fits the same slot. */
export function createConsoleLogger(debug = false): Logger {
  return {
    debug: (fields, message) => {
      if (debug) write('debug', fields, message);
    },
    info: (fields, message) => write('info', fields, message),
    warn: (fields, message) => write('warn', fields, message),
    error: (fields, message) => write('error', fields, message),
  };
}
