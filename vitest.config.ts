import { defineConfig } from 'vitest/config';

const common = { testTimeout: 60_000, hookTimeout: 120_000, pool: 'forks' as const };

// Unit tests sit next to what they test (domain, events, functions, infra, local) and run in parallel.
// Integration tests (test/integration) each start a whole local stack on ~30 ports; run side by side, a stack
// that stops and restarts on its ports can find one taken by the other file's stack, so they run one file at a
// time. `npm test` runs both projects, `npm run test:unit` the first.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...common,
          name: 'unit',
          include: ['{domain,events,functions,infra,local}/**/*.test.ts'],
        },
      },
      {
        test: {
          ...common,
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          fileParallelism: false,
        },
      },
    ],
  },
});
