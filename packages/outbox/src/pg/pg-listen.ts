import type { PgPoolClientLike, PgPoolLike } from './pg-binding.js';

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5_000;

/**
 * LISTEN on a client of its own from the pool, for as long as the relay runs. A lost connection (the
 * database restarted) is opened again with backoff, and `wake` is called after each reconnect because
 * notifications sent meanwhile are gone.
 */
export async function listenForRows(
  pool: PgPoolLike,
  channel: string,
  wake: () => void,
): Promise<() => Promise<void>> {
  let stopped = false;
  let client: PgPoolClientLike | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let delayMs = RECONNECT_MIN_MS;

  const open = async (): Promise<void> => {
    let next: PgPoolClientLike | undefined;
    try {
      next = await pool.connect();
      next.on('notification', (message) => {
        if (message.channel === channel) wake();
      });
      const opened = next;
      next.on('error', (error) => lost(opened, error));
      await next.query(`LISTEN ${channel}`);
      if (stopped) throw new Error('stopped');
      client = next;
      delayMs = RECONNECT_MIN_MS;
      wake();
    } catch (error) {
      // A connection that could not LISTEN (a standby, say) goes back to the pool, closed.
      if (next) {
        next.removeAllListeners('notification');
        next.release(error instanceof Error ? error : true);
      }
      retry();
    }
  };

  const lost = (lostClient: PgPoolClientLike, error: Error): void => {
    lostClient.removeAllListeners('notification');
    lostClient.release(error);
    if (client === lostClient) client = undefined;
    retry();
  };

  const retry = (): void => {
    if (stopped || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void open();
    }, delayMs);
    delayMs = Math.min(delayMs * 2, RECONNECT_MAX_MS);
  };

  await open();
  return async () => {
    stopped = true;
    clearTimeout(retryTimer);
    const last = client;
    client = undefined;
    if (!last) return;
    last.removeAllListeners('notification');
    await last.query(`UNLISTEN ${channel}`).catch(() => {});
    last.release();
  };
}
