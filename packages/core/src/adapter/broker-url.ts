import { InvalidArgumentError } from '../errors.js';
import { redactUrl } from '../redact.js';
import type { ValidationScope } from '../validation.js';

/** One broker address of a URL. */
export interface BrokerAddress {
  /** A name or an IPv4 address, or an IPv6 address without its brackets. */
  readonly host: string;
  readonly port: number;
}

/** A broker URL taken apart: `scheme://[user:password@]host[:port][,host[:port]…][/path][?params]`. */
export interface BrokerUrl {
  /** Lower-cased, without the colon: `kafka+ssl`. */
  readonly scheme: string;
  /** Each broker's address, the scheme's default port filled in. Empty for `memory:`. */
  readonly addresses: readonly BrokerAddress[];
  /** `host:port` of each broker (IPv6 in brackets), as most clients take them. */
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

const URL_SHAPE = /^([a-z][a-z0-9+.-]*):(?:\/\/([^/?#]*))?(\/[^?#]*)?(?:\?([^#]*))?$/i;
const HOST_SHAPE = /^(?:\[([0-9a-f:.]+)\]|([^\s:[\]@]+))(?::(\d{1,5}))?$/i;

/** The URL's scheme, lower-cased and without its colon (`kafka+ssl`); undefined when it has none. */
export function schemeOf(url: string): string | undefined {
  return /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
}

/**
 * Parses a broker URL. Several hosts (comma- or semicolon-separated) do not fit WHATWG URL parsing, hence
 * this small parser; `defaultPort` fills in a host given without one. The user info ends at the last "@"
 * of the authority, so a password may hold an unencoded "@". Error text never echoes any part of a URL
 * that has user info.
 */
export function parseBrokerUrl(url: unknown, defaultPort: number, scope: ValidationScope): BrokerUrl {
  if (typeof url !== 'string') throw new InvalidArgumentError('broker URL must be a string', scope);
  const match = URL_SHAPE.exec(url);
  const shown = url.includes('@') ? '' : ` "${redactUrl(url)}"`;
  if (!match) throw new InvalidArgumentError(`invalid broker URL${shown}`, scope);
  const [, scheme, authority = '', rawPath = '', query = ''] = match;
  const at = authority.lastIndexOf('@');
  const hostList = authority.slice(at + 1);
  const addresses = hostList === '' ? [] : hostList.split(/[,;]/).map((host) => addressOf(host.trim()));
  if (addresses.includes(undefined)) {
    throw new InvalidArgumentError(`invalid broker address in the URL${shown}: expected host[:port]`, scope);
  }
  const [username, password] = at < 0 ? [] : splitUserInfo(authority.slice(0, at), scope);
  const path = decode(rawPath.replace(/^\//, ''), 'path', scope);
  const lowerScheme = scheme!.toLowerCase();
  const hosts = (addresses as BrokerAddress[]).map(({ host, port = defaultPort }) =>
    host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`,
  );
  return {
    scheme: lowerScheme,
    addresses: (addresses as BrokerAddress[]).map(({ host, port = defaultPort }) => ({ host, port })),
    hosts,
    username,
    password,
    path,
    params: new URLSearchParams(query),
    endpoint: `${lowerScheme}://${hosts.join(',')}${path ? `/${path}` : ''}`,
  };
}

/** The host and, when given, the port; undefined when the text is no address. */
function addressOf(text: string): { host: string; port?: number } | undefined {
  const match = HOST_SHAPE.exec(text);
  if (!match) return undefined;
  const host = match[1] ?? match[2]!;
  if (match[3] === undefined) return { host };
  const port = Number(match[3]);
  return port >= 1 && port <= 65_535 ? { host, port } : undefined;
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
