import type { Logger } from '@ev/core';

/**
 * Records everything a piece of code could reveal: what it logged through `logger` (every level, fields
 * included), what anything wrote to stdout and stderr meanwhile, and the errors handed to `addError`
 * (message, cause chain and own properties). Tests grep `text()` for secrets.
 */
export class OutputRecorder {
  private readonly chunks: string[] = [];
  private restore: (() => void) | undefined;

  readonly logger: Logger = {
    debug: (fields, message) => this.record('debug', fields, message),
    info: (fields, message) => this.record('info', fields, message),
    warn: (fields, message) => this.record('warn', fields, message),
    error: (fields, message) => this.record('error', fields, message),
  };

  /** Starts copying stdout and stderr writes (they are still written). */
  start(): this {
    const streams = [process.stdout, process.stderr];
    const originals = streams.map((stream) => stream.write.bind(stream));
    streams.forEach((stream, index) => {
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        this.chunks.push(String(chunk));
        return (originals[index] as (...args: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write;
    });
    this.restore = () => {
      streams.forEach((stream, index) => {
        stream.write = originals[index] as typeof stream.write;
      });
    };
    return this;
  }

  stop(): void {
    this.restore?.();
    this.restore = undefined;
  }

  addError(error: unknown): void {
    let current: unknown = error;
    for (let depth = 0; current !== undefined && current !== null && depth < 10; depth += 1) {
      if (current instanceof Error) {
        this.chunks.push(String(current.stack), JSON.stringify(current, Object.getOwnPropertyNames(current)));
        current = current.cause;
      } else {
        this.chunks.push(typeof current === 'object' ? JSON.stringify(current) : String(current));
        break;
      }
    }
  }

  text(): string {
    return this.chunks.join('\n');
  }

  private record(level: string, fields: Record<string, unknown>, message: string): void {
    this.chunks.push(`${level} ${message} ${safeJson(fields)}`);
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, field: unknown) =>
      field instanceof Error ? { message: field.message, stack: field.stack } : field,
    );
  } catch {
    return String(value);
  }
}
