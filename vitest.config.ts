import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Integration tests start databases and child processes; the machines have 2 cores.
    testTimeout: 600_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    // Every answer a test gets is checked against its route's response schema (api/serialize.ts).
    env: { KEEL_STRICT_RESPONSES: '1' },
    reporters: ['default', ['json', { outputFile: '.test-results/vitest.json' }]],
  },
});
