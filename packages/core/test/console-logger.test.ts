import { afterEach, describe, expect, it, vi } from 'vitest';
import { consoleLogger } from '../src/index.js';

describe('consoleLogger', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('writes a line per event, warnings and errors to stderr, debug only when asked', () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const logger = consoleLogger();
    logger.debug({}, 'hidden');
    logger.info({ topic: 't', offset: 12n }, 'sent');
    logger.warn({ error: new TypeError('bad') }, 'retrying');
    logger.error({}, 'failed');
    consoleLogger({ debug: true }).debug({}, 'shown');
    expect(out.mock.calls.map(([line]) => String(line).replace(/^\S+ /, ''))).toEqual([
      'info  sent {"topic":"t","offset":"12"}',
      'debug shown',
    ]);
    expect(err.mock.calls.map(([line]) => String(line).replace(/^\S+ /, ''))).toEqual([
      'warn  retrying {"error":{"name":"TypeError","message":"bad"}}',
      'error failed',
    ]);
    expect(String(out.mock.calls[0]![0])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info /);
  });
});
