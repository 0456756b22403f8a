import { InvalidArgumentError, NotSupportedError, redactUrl } from '@ev/core';
import { mysqlOutbox } from '../mysql/index.js';
import type { Outbox, OutboxOptions } from '../outbox.js';
import { pgOutbox } from '../pg/index.js';
import type { RelayStore } from '../relay-store.js';

/** An outbox database the relay opened from a URL, and how to close it. */
export interface OpenedDatabase {
  readonly store: RelayStore;
  applySchema(): Promise<void>;
  close(): Promise<void>;
}

async function importDriver<T>(name: string, scheme: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (error) {
    const packageName = name.split('/')[0];
    throw new NotSupportedError(
      `${scheme}:// database URLs need the ${packageName} package: install it with \`npm install ${packageName}\``,
      { provider: 'outbox', cause: error },
    );
  }
}

/** Opens a pool for `postgres://` / `postgresql://` (pg) or `mysql://` (mysql2) URLs. */
export async function openDatabase(url: string, options: OutboxOptions): Promise<OpenedDatabase> {
  const scheme = url.slice(0, url.indexOf(':')).toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') {
    const pg = await importDriver<typeof import('pg')>('pg', scheme);
    // Timeouts and keep-alive: a database that stops answering fails the relay's statements (it backs
    // off and tries again) instead of hanging them.
    const pool = new (pg.default ?? pg).Pool({
      connectionString: url,
      max: 4,
      connectionTimeoutMillis: 10_000,
      query_timeout: 60_000,
      keepAlive: true,
    });
    pool.on('error', () => {}); // an idle client lost with the database; the next query opens another
    return bound(pgOutbox(options), pool, () => pool.end());
  }
  if (scheme === 'mysql' || scheme === 'mariadb') {
    const mysql = await importDriver<typeof import('mysql2/promise')>('mysql2/promise', scheme);
    const pool = mysql.createPool({
      uri: url.replace(/^mariadb:/, 'mysql:'),
      connectionLimit: 4,
    });
    return bound(mysqlOutbox(options), pool, () => pool.end());
  }
  throw new InvalidArgumentError(
    `unsupported database URL "${redactUrl(url)}": use postgres://… or mysql://…`,
    { provider: 'outbox' },
  );
}

function bound<Db>(outbox: Outbox<Db>, pool: Db, close: () => Promise<void>): OpenedDatabase {
  return { store: outbox.relayStore(pool), applySchema: () => outbox.applySchema(pool), close };
}
