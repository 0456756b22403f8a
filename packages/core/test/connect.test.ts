import { describe, expect, it } from 'vitest';
import { AdapterNotInstalledError, connect, InvalidArgumentError } from '../src/index.js';

describe('connect', () => {
  it('names the package to install when the adapter is missing', async () => {
    // @ev/core's own tests do not depend on @ev/rocketmq.
    const error = await connect('rocketmq://127.0.0.1:8081').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdapterNotInstalledError);
    expect((error as Error).message).toContain('npm install @ev/rocketmq');
  });

  it('rejects unknown schemes without echoing credentials', async () => {
    const error = await connect('redis://user:topsecret@host:6379').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).not.toContain('topsecret');
  });
});
