import { InvalidArgumentError } from '../errors.js';
import { redactUrl } from '../redact.js';
import type { ValidationScope } from '../validation.js';

/** A broker URL taken apart: `scheme://[user:password@]host[:port][,host[:port]…][/path][?params]`. */
export interface BrokerUrl {
  /** Lower-cased, without the colon: `kafka+ssl`. */
  readonly scheme: string;
  /** `host:port` of each broker, the scheme's default port filled in. Empty for `memory:`. */
  readonly hosts: readonly string[];
  /** From the user info, percent-decoded. Never put in logs or error text. */
  readonly username: string | undefined;
  readonly password: string | undefined;
  /** The path without its leading slash, percent-decoded (RabbitMQ's virtual host). */
  readonly path: string;
  readonly params: URLSearchParams;
  /** The URL fit for logs and error text: scheme, hosts and path, no credentials, no parameters. */
  readonly endpoint: string;
}

const URL_SHAPE = /^([a-z][a-z0-9+.-]*):(?:\/\/(?:([^@/?#]*)@)?([^/?#]*))?(\/[^?#]*)?(?:\?([^#]*))?$/i;
const HOST_SHAPE = /^(\[[0-9a-f:.]+\]|[^\s:[\]]+)(?::(\d{1,5}))?$/i;

/**
 * Parses a broker URL. Several hosts (comma- or semicolon-separated) do not fit WHATWG URL parsing, hence
 * this small parser; `defaultPort` fills in a host given without one. The error text never echoes the
 * user info.
 */
export function parseBrokerUrl(url: unknown, defaultPort: number, scope: ValidationScope): BrokerUrl {
  if (typeof url !== 'string') throw new InvalidArgumentError('broker URL must be a string', scope);
  const match = URL_SHAPE.exec(url);
  if (!match) throw new InvalidArgumentError(`invalid broker URL "${redactUrl(url)}"`, scope);
  const [, scheme, userInfo, hostList = '', rawPath = '', query = ''] = match;
  const hosts =
    hostList === '' ? [] : hostList.split(/[,;]/).map((host) => withPort(host.trim(), defaultPort, scope));
  const [username, password] = userInfo === undefined ? [] : splitUserInfo(userInfo, scope);
  const path = decode(rawPath.replace(/^\//, ''), 'path', scope);
  const lowerScheme = scheme!.toLowerCase();
  return {
    scheme: lowerScheme,
    hosts,
    username,
    password,
    path,
    params: new URLSearchParams(query),
    endpoint: `${lowerScheme}://${hosts.join(',')}${path ? `/${path}` : ''}`,
  };
}

function withPort(host: string, defaultPort: number, scope: ValidationScope): string {
  const match = HOST_SHAPE.exec(host);
  const port = match?.[2] === undefined ? defaultPort : Number(match[2]);
  if (!match || port < 1 || port > 65_535) {
    throw new InvalidArgumentError(`invalid broker address "${host}": expected host[:port]`, scope);
  }
  return `${match[1]}:${port}`;
}

function splitUserInfo(userInfo: string, scope: ValidationScope): [string, string | undefined] {
  const colon = userInfo.indexOf(':');
  if (colon < 0) return [decode(userInfo, 'user name', scope), undefined];
  return [
    decode(userInfo.slice(0, colon), 'user name', scope),
    decode(userInfo.slice(colon + 1), 'password', scope),
  ];
}

function decode(text: string, what: string, scope: ValidationScope): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // The text itself may be a secret: say which part is malformed, not what it holds.
    throw new InvalidArgumentError(`the broker URL's ${what} is not valid percent-encoding`, scope);
  }
}
