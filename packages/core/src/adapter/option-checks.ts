import { InvalidArgumentError } from '../errors.js';
import { describeValue, MAX_TIMER_MS, type ValidationScope } from '../validation.js';

/** Checks one option's value, throwing an InvalidArgumentError that names the option (`name`, its path). */
export type OptionCheck = (value: unknown, name: string, scope: ValidationScope) => void;

/**
 * One check for every option of a type: a Record over its keys, so an option added to the type does not
 * compile until it has a check, and an option a user misspells is refused by name.
 */
export type OptionChecks<Options> = { readonly [Name in keyof Required<Options>]: OptionCheck };

function refuse(name: string, expected: string, value: unknown, scope: ValidationScope): never {
  const shown =
    typeof value === 'number' || typeof value === 'boolean' ? String(value) : describeValue(value);
  throw new InvalidArgumentError(`option ${name} must be ${expected}, got ${shown}`, scope);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Refuses what `checks` does not name and checks the rest. Undefined values count as not given. Checked
 * when connecting, before any broker is contacted, so a bad setting fails there, naming itself.
 */
export function assertOptions<Options>(
  options: unknown,
  checks: OptionChecks<Options>,
  scope: ValidationScope,
  /** The option these options are the value of (`delay`), when nested. */
  parent?: string,
): asserts options is Options {
  if (!isPlainObject(options)) refuse(parent ?? 'options', 'an object', options, scope);
  const path = parent === undefined ? '' : `${parent}.`;
  const known = Object.keys(checks);
  for (const [name, value] of Object.entries(options)) {
    const fullName = `${path}${name}`;
    if (!known.includes(name)) {
      throw new InvalidArgumentError(
        `unknown option "${fullName}": use ${known.map((k) => `${path}${k}`).join(', ')}`,
        scope,
      );
    }
    if (value !== undefined) checks[name as keyof Options](value, fullName, scope);
  }
}

/** The checks options are built from, so the same kind of setting is refused the same way everywhere. */
export const check = {
  /** Milliseconds above 0 (or from 0), at most Node's longest timer. */
  duration({ allowZero = false } = {}): OptionCheck {
    return (value, name, scope) => {
      const valid =
        typeof value === 'number' && (allowZero ? value >= 0 : value > 0) && value <= MAX_TIMER_MS;
      if (!valid)
        refuse(
          name,
          `a number of milliseconds ${allowZero ? 'from 0' : 'above 0'}, at most ${MAX_TIMER_MS}`,
          value,
          scope,
        );
    };
  },
  /** An integer from `min` to `max`. */
  count(min: number, max = Number.MAX_SAFE_INTEGER): OptionCheck {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    return (value, name, scope) => {
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
        refuse(name, `an integer ${range}`, value, scope);
      }
    };
  },
  /** One of the given strings. */
  oneOf(values: readonly string[]): OptionCheck {
    return (value, name, scope) => {
      if (typeof value !== 'string' || !values.includes(value)) {
        refuse(name, `one of ${values.map((v) => `"${v}"`).join(', ')}`, value, scope);
      }
    };
  },
  boolean: ((value, name, scope) => {
    if (typeof value !== 'boolean') refuse(name, 'true or false', value, scope);
  }) as OptionCheck,
  text: ((value, name, scope) => {
    if (typeof value !== 'string' || value.length === 0) refuse(name, 'a non-empty string', value, scope);
  }) as OptionCheck,
  texts: ((value, name, scope) => {
    if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string' || v === '')) {
      refuse(name, 'a non-empty array of non-empty strings', value, scope);
    }
  }) as OptionCheck,
  /** `true`, `false`, or Node TLS options (CA, client certificate and key, servername). */
  tls: ((value, name, scope) => {
    if (typeof value !== 'boolean' && !isPlainObject(value))
      refuse(name, 'true, false or TLS options', value, scope);
  }) as OptionCheck,
  /** An object of some fields, each a string (`required` ones non-empty). Its values are never shown. */
  credentials(required: readonly string[], optional: readonly string[] = []): OptionCheck {
    const expected = `{ ${[...required, ...optional.map((field) => `${field}?`)].join(', ')} }`;
    return (value, name, scope) => {
      const valid =
        isPlainObject(value) &&
        required.every((field) => typeof value[field] === 'string' && value[field] !== '') &&
        Object.keys(value).every(
          (field) =>
            (required.includes(field) || optional.includes(field)) && typeof value[field] === 'string',
        );
      if (!valid) throw new InvalidArgumentError(`option ${name} must be ${expected} of strings`, scope);
    };
  },
  /** A logger: an object with debug, info, warn and error functions (pino's loggers and `console` are). */
  logger: ((value, name, scope) => {
    const candidate = value as Record<string, unknown> | null;
    const valid =
      candidate !== null &&
      typeof candidate === 'object' &&
      ['debug', 'info', 'warn', 'error'].every((level) => typeof candidate[level] === 'function');
    if (!valid) refuse(name, 'a logger with debug, info, warn and error methods', value, scope);
  }) as OptionCheck,
  /** An object whose own options are checked in turn, named `<name>.<option>`. */
  object<Options>(checks: OptionChecks<Options>): OptionCheck {
    return (value, name, scope) => assertOptions(value, checks, scope, name);
  },
  /** An object the adapter hands on as is (a client library to use instead of the default one). */
  instance: ((value, name, scope) => {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
      refuse(name, 'an object', value, scope);
    }
  }) as OptionCheck,
} as const;
