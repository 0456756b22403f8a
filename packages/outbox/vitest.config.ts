import { defineConfig } from 'vitest/config';

// One file at a time: the files share the database services, and the fault tests restart them.
export default defineConfig({ test: { include: ['test/**/*.test.ts'], fileParallelism: false } });
