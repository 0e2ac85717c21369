import { mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

// The test starts a Chromium: generous limits, since it shares two cores with every package's tests.
export default mergeConfig(sharedConfig, { test: { name: 'browser-testing', testTimeout: 60_000, hookTimeout: 60_000 } });
