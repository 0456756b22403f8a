import { connect, type Socket } from 'node:net';

/**
 * The smallest client of RocketMQ's remoting protocol (the admin side of name server and broker), enough
 * to create and delete topics from Node: JSON-serialized RemotingCommand frames over TCP.
 *
 * Frame: int32 total length | byte serialize type (0 = JSON) + int24 header length | header JSON | body.
 */
export interface RemotingResponse {
  code: number;
  remark: string | undefined;
  body: Buffer;
}

const SERIALIZE_JSON = 0;
const RESPONSE_FLAG = 1;
/** RocketMQ's MQVersion for 5.x clients; brokers accept any recent value. */
const CLIENT_VERSION = 453;

let nextOpaque = 1;

export function remotingRequest(
  address: string,
  code: number,
  fields: Record<string, string>,
  timeoutMs: number,
): Promise<RemotingResponse> {
  const [host, port] = splitAddress(address);
  const opaque = nextOpaque++;
  const header = Buffer.from(
    JSON.stringify({
      code,
      extFields: fields,
      flag: 0,
      language: 'JAVA',
      opaque,
      serializeTypeCurrentRPC: 'JSON',
      version: CLIENT_VERSION,
    }),
  );
  const frame = Buffer.alloc(8 + header.length);
  frame.writeInt32BE(4 + header.length, 0);
  frame.writeUInt32BE(((SERIALIZE_JSON << 24) | header.length) >>> 0, 4);
  header.copy(frame, 8);

  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host, port });
    let received = Buffer.alloc(0);
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`no answer from ${address} within ${timeoutMs} ms`)));
    socket.once('error', fail);
    socket.once('connect', () => socket.write(frame));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      while (received.length >= 4 && received.length >= 4 + received.readInt32BE(0)) {
        const length = received.readInt32BE(0);
        const packet = received.subarray(4, 4 + length);
        received = received.subarray(4 + length);
        const headerLength = packet.readUInt32BE(0) & 0xffffff;
        const response = JSON.parse(packet.subarray(4, 4 + headerLength).toString('utf8')) as {
          code: number;
          remark?: string;
          opaque: number;
          flag: number;
        };
        if (response.opaque !== opaque || (response.flag & RESPONSE_FLAG) === 0) continue;
        socket.end();
        resolve({ code: response.code, remark: response.remark, body: packet.subarray(4 + headerLength) });
      }
    });
  });
}

function splitAddress(address: string): [string, number] {
  const index = address.lastIndexOf(':');
  return [address.slice(0, index), Number(address.slice(index + 1))];
}
