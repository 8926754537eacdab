import { defineConfig } from 'vitest/config';

// Unit tests sit next to what they test (domain, events, functions, infra, local); integration tests, which
// start the emulators, live in test/integration. `npm run test:unit` runs the first kind only.
export default defineConfig({
  test: {
    include: ['{domain,events,functions,infra,local,test}/**/*.test.ts'],
    exclude: ['test/browser/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
