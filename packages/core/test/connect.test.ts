import { describe, expect, it } from 'vitest';
import { AdapterNotInstalledError, connect, InvalidArgumentError } from '../src/index.js';
import { loadAdapter } from '../src/load-adapter.js';

describe('connect', () => {
  it('names the package to install when the adapter is missing', async () => {
    const error = await loadAdapter('nats:', '@ev/not-an-installed-adapter').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdapterNotInstalledError);
    expect((error as Error).message).toContain('npm install @ev/not-an-installed-adapter');
    expect((error as Error).message).toContain('"nats:"');
  });

  it('rejects unknown schemes without echoing credentials', async () => {
    const error = await connect('redis://user:topsecret@host:6379').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).not.toContain('topsecret');
  });
});

describe('connect options types', () => {
  it('take any settings for an adapter whose types the program does not import', () => {
    // Compiled, not run: `connect` loads adapters on demand, so their option types may be absent.
    const compiles = (url: string) => [
      connect('kafka://127.0.0.1:9092', { clientId: 'job', ssl: true }),
      connect(url, { credentials: { username: 'u', password: 'p' } }),
      connect('memory:'),
    ];
    expect(typeof compiles).toBe('function');
  });
});
