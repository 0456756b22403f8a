import type { MessageLimits } from '../src/index.js';

/** Generous limits for tests that are not about limits. */
export const TEST_LIMITS: MessageLimits = {
  key: { maxBytes: 1024, noControlCharacters: false, noBlank: false },
  headerName: { maxBytes: 255, noControlCharacters: false, noBlank: false, reserved: [] },
  headerValue: { maxBytes: 4096, noControlCharacters: false, noBlank: false, allowEmpty: true },
  headers: { maxCount: 64, maxTotalBytes: 8192 },
  payload: { minBytes: 0, maxBytes: 1024 },
  messageId: { maxBytes: 128 },
};
