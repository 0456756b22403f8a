import { DEMO_USERS } from '../repository/users.js';

/** What the job finds to do on each run. A real service would read these from its database. */
export interface PendingWork {
  userSyncs: Array<{ userId: bigint; action: string }>;
  userArchives: Array<{ userId: bigint; data: string }>;
  orderSyncs: Array<{ orderId: bigint; status: number }>;
  orderNotifications: Array<{ orderId: bigint; userId: bigint; message: string }>;
}

// Snowflake-style ids: above 2^53, which is why ids are bigint end to end.
const SNOWFLAKE_BASE = 1_847_392_018_455_109_632n;

export function loadPendingWork(run: number): PendingWork {
  // Each run syncs the next of the demo table's users, in turn.
  const userId = DEMO_USERS[(run - 1) % DEMO_USERS.length]!.id;
  const orderId = SNOWFLAKE_BASE * 2n + BigInt(run);
  return {
    userSyncs: [{ userId, action: run % 2 === 0 ? 'profile.updated' : 'login' }],
    userArchives: [{ userId: userId - 1000n, data: JSON.stringify({ archivedRun: run }) }],
    orderSyncs: [{ orderId, status: 2 }],
    orderNotifications: [{ orderId, userId, message: `订单 ${orderId} 已发货` }],
  };
}
