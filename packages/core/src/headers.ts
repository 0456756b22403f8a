/**
 * Header names `@ev` sets. Every message carries `ev-message-id` (from `options.messageId`, so it cannot be
 * given as a header); events add their protobuf type and content type.
 */
export const HEADER_MESSAGE_ID = 'ev-message-id';
/** The fully qualified protobuf type of the body, e.g. `ev.mq.v1.UserSyncReq`. */
export const HEADER_EVENT_TYPE = 'ev-type';
export const HEADER_CONTENT_TYPE = 'content-type';
export const PROTOBUF_CONTENT_TYPE = 'application/x-protobuf';
