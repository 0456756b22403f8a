import { describe, it } from 'vitest';
import { createMemoryHarness, runPusherContract } from '../src/index.js';

runPusherContract({ describe, it }, createMemoryHarness());
