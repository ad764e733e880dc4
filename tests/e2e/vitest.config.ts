import { defineConfig } from 'vitest/config';

/** Browser journeys: one built server for the whole run (global setup), chromium per file. */
export default defineConfig({
	test: {
		include: ['tests/e2e/**/*.e2e.ts'],
		globalSetup: ['tests/e2e/global-setup.ts'],
		testTimeout: 120_000,
		hookTimeout: 180_000,
		fileParallelism: false,
		pool: 'forks'
	}
});
