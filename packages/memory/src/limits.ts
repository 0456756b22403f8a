import { type MessageLimits, PORTABLE_LIMITS } from '@ev/core';

/** The memory broker refuses what any of the real brokers would (see PORTABLE_LIMITS). */
export const MEMORY_LIMITS: MessageLimits = PORTABLE_LIMITS;

/** The memory limits with the payload limit in force (`maxPayloadBytes` may lower it). */
export function memoryLimits(maxPayloadBytes: number): MessageLimits {
  return { ...MEMORY_LIMITS, payload: { ...MEMORY_LIMITS.payload, maxBytes: maxPayloadBytes } };
}
