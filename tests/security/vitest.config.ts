import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Own build folders, so this suite never races another build (see tests/e2e/server.ts).
process.env.TECHCAP_BUILD_DIR ??= 'build-security';
process.env.TECHCAP_KIT_OUT ??= '.svelte-kit-security';

/**
 * Security and reliability suites against the BUILT server (adapter-node), one shared server with
 * demo data for the read-mostly suites (global setup); suites that kill or break a server start
 * their own. Run: `npx vitest run --config tests/security/vitest.config.ts`.
 */
export default defineConfig({
	// Library code imported directly (db, seed) uses the $lib alias the SvelteKit plugin would give.
	resolve: { alias: { $lib: fileURLToPath(new URL('../../src/lib', import.meta.url)) } },
	test: {
		include: ['tests/security/**/*.security.ts'],
		globalSetup: ['tests/security/global-setup.ts'],
		testTimeout: 120_000,
		hookTimeout: 180_000,
		fileParallelism: false,
		pool: 'forks',
		env: {
			TECHCAP_BUILD_DIR: process.env.TECHCAP_BUILD_DIR,
			TECHCAP_KIT_OUT: process.env.TECHCAP_KIT_OUT
		}
	}
});
