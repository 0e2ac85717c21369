import { defineConfig, type Options } from 'tsup';

/**
 * The build every PeerKit package shares: ESM + CJS + .d.ts from `src/index.ts`.
 * Pure packages build for `neutral` (browser or Node); I/O packages for Node 20.
 */
export function packageBuild(platform: 'neutral' | 'node', overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: platform === 'neutral' ? 'es2022' : 'node20',
    platform,
    ...overrides,
  });
}
