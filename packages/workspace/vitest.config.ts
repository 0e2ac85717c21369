import { mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

// The browser tests start servers and a Chromium: one file at a time keeps them off each other's ports and CPU.
export default mergeConfig(sharedConfig, { test: { name: 'workspace', fileParallelism: false, testTimeout: 180_000, hookTimeout: 120_000 } });
