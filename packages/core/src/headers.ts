/** Header names @ev sets on every message. A consumer in any language can rely on them. */
export const HEADER_MESSAGE_ID = 'ev-message-id';
/** The fully qualified protobuf type of the body, e.g. `ev.mq.v1.UserSyncReq`. */
export const HEADER_EVENT_TYPE = 'ev-type';
export const HEADER_CONTENT_TYPE = 'content-type';
export const PROTOBUF_CONTENT_TYPE = 'application/x-protobuf';

export const RESERVED_HEADER_PREFIX = 'ev-';
