#!/usr/bin/env node
/**
 * `npm test`: the whole suite — type check, lint and formatting, unit and integration tests
 * (Vitest), then browser journeys (Vitest + playwright-core driving Debian chromium against the
 * built server). Ends with one line `N passed, N failed` summed over every runner.
 *
 * Set TECHCAP_SKIP_BROWSER=1 to leave out the browser journeys (they are then reported as skipped).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const out = mkdtempSync(join(tmpdir(), 'techcap-test-'));
let passed = 0;
let failed = 0;
let skipped = 0;

function run(label, cmd, args, env = {}) {
	console.log(`\n=== ${label}: ${[cmd, ...args].join(' ')}`);
	const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
	return r.status === 0;
}

function check(label, cmd, args) {
	if (run(label, cmd, args)) passed++;
	else {
		failed++;
		console.log(`!!! ${label} failed`);
	}
}

function vitest(label, config, jsonName, env = {}) {
	const json = join(out, jsonName);
	const args = ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${json}`];
	if (config) args.push('--config', config);
	const ok = run(label, bin('vitest'), args, env);
	if (!existsSync(json)) {
		failed++;
		console.log(`!!! ${label}: the runner produced no results (exit ${ok ? 0 : 'non-zero'})`);
		return;
	}
	const r = JSON.parse(readFileSync(json, 'utf8'));
	passed += r.numPassedTests;
	failed += r.numFailedTests;
	skipped += r.numPendingTests + (r.numTodoTests ?? 0);
	// A suite that failed to load counts as a failure even with no failed test inside it.
	const brokenFiles = (r.testResults ?? []).filter(
		(f) => f.status === 'failed' && f.assertionResults.length === 0
	).length;
	failed += brokenFiles;
	if (!ok && r.numFailedTests === 0 && brokenFiles === 0) failed++;
}

check('type check', 'npm', ['run', '-s', 'check']);
check('lint', 'npm', ['run', '-s', 'lint']);
vitest('unit and integration tests', null, 'unit.json');
if (process.env.TECHCAP_SKIP_BROWSER === '1') {
	console.log('\n=== browser tests SKIPPED (TECHCAP_SKIP_BROWSER=1)');
} else if (!existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
	console.log('\n!!! browser tests cannot run: chromium not found at /usr/bin/chromium.');
	console.log('    Install it with `apt-get install -y chromium` (Debian) or set CHROMIUM_PATH.');
	failed++;
} else {
	vitest('browser tests', 'tests/e2e/vitest.config.ts', 'e2e.json');
	// The authorisation matrix, hostile input, headers, backups and resilience, against the built
	// server (it reuses the build the browser tests just made).
	vitest('security tests', 'tests/security/vitest.config.ts', 'security.json', {
		TECHCAP_E2E_NO_BUILD: '1',
		TECHCAP_BUILD_DIR: 'build'
	});
}

console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
