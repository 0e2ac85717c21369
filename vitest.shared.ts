import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * Shared Vitest settings: resolve sibling packages through their `source` export condition,
 * so tests read `src/` of every @peerkit package without a build.
 */
export const sharedConfig = defineConfig({
  resolve: { conditions: ['source', ...defaultServerConditions] },
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // Property tests and spawned CLI runs share 2 cores with the other packages' tests under turbo:
    // generous limits keep a busy machine from failing a correct test (at load 20 a server start took
    // over 60 s and a 115-case property test 62 s). Timing is checked in bench/.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
