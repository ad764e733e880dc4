/**
 * `npm start` with an unreachable MongoDB ends within about 10 s with one clear line naming the
 * host and the cause, never the credentials, before any build work.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';

test('an unreachable MONGODB_URI stops npm start quickly with one clear line', () => {
	const started = Date.now();
	const r = spawnSync(process.execPath, [join(import.meta.dirname, '..', 'scripts', 'start.mjs')], {
		env: { ...process.env, MONGODB_URI: 'mongodb://techcap:s3cret-pass@127.0.0.1:1/techcap' },
		encoding: 'utf8',
		timeout: 30_000
	});
	const elapsed = Date.now() - started;
	expect(r.status).toBe(1);
	const lines = r.stderr.trim().split('\n');
	expect(lines).toHaveLength(1);
	expect(lines[0]).toMatch(/^TechCap: cannot reach MongoDB at 127\.0\.0\.1:1 \(.*ECONNREFUSED.*\)$/);
	expect(r.stderr + r.stdout).not.toContain('s3cret');
	// The driver is given 8 s to select a server; generous headroom for a loaded machine.
	expect(elapsed).toBeLessThan(20_000);
}, 40_000);
