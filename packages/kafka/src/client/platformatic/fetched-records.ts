import { IS_CONTROL, type KafkaRecord, type RecordsBatch } from '@platformatic/kafka';
import type { FetchedMessage, RecordHeaders } from '../port.js';

/** The messages of a partition's record batches from `fetchOffset` on (a batch may begin before it). */
export function readMessages(batches: RecordsBatch[], fetchOffset: bigint): FetchedMessage[] {
  const messages: FetchedMessage[] = [];
  for (const batch of batches) {
    if (batch.attributes & IS_CONTROL) continue;
    for (const record of batch.records) {
      const offset = batch.firstOffset + BigInt(record.offsetDelta);
      if (offset < fetchOffset) continue;
      messages.push({
        offset: offset.toString(),
        key: record.key,
        value: record.value,
        headers: readHeaders(record.headers),
      });
    }
  }
  return messages;
}

/** Headers as kafkajs gives them: a name that occurs more than once maps to all its values, in order. */
function readHeaders(entries: KafkaRecord['headers']): RecordHeaders {
  const headers: RecordHeaders = {};
  for (const [name, value] of entries) {
    if (name === null || value === null) continue;
    const key = name.toString();
    const earlier = headers[key];
    if (earlier === undefined) headers[key] = value;
    else headers[key] = Array.isArray(earlier) ? [...earlier, value] : [earlier, value];
  }
  return headers;
}
