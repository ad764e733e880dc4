/**
 * Graceful failure on the built server: the database going away gives clean 503s (page and JSON)
 * and the app recovers when it is back; SIGTERM lets an in-flight request finish, flushes its
 * write and closes the database before the process exits. Uses its own server with
 * TECHCAP_TEST_HOOKS=1 (fault injection in src/routes/healthz/test, 404 everywhere else).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../e2e/server';
import { loginAsRole, send } from './client';
import { openDatabase } from '../../src/lib/server/db';
import { enterpriseA } from './fixtures';

describe('database outage and recovery', () => {
	let server: RunningServer;
	let enterprise: string;
	let responseId: string;
	beforeAll(async () => {
		server = await startServer({ TECHCAP_TEST_HOOKS: '1' });
		const a = await enterpriseA(server.url);
		enterprise = a.cookie;
		responseId = a.openIds[0];
	});
	afterAll(async () => {
		await server?.stop();
	});

	it('probes: live and ready answer 200 while the database is up', async () => {
		expect((await send(server.url, '/healthz/live')).status).toBe(200);
		const ready = await send(server.url, '/healthz/ready');
		expect(ready.status).toBe(200);
		expect(JSON.parse(ready.text)).toMatchObject({ status: 'ok', db: 'embedded' });
	});

	it('with the database down: 503s with a clear message, liveness stays 200, the process stays up', async () => {
		expect((await send(server.url, '/healthz/test?action=db-down', { method: 'POST' })).status).toBe(200);

		expect((await send(server.url, '/healthz/ready')).status).toBe(503);
		expect((await send(server.url, '/healthz')).status).toBe(503);
		expect((await send(server.url, '/healthz/live')).status).toBe(200);

		// A signed-in page: the session lookup itself fails.
		const page = await send(server.url, '/enterprise', { cookie: enterprise });
		expect(page.status).toBe(503);
		expect(page.headers.get('retry-after')).toBe('5');
		expect(page.text).toContain('Dịch vụ tạm thời gián đoạn');

		// The JSON API answers JSON.
		const api = await send(server.url, `/api/v1/responses/${responseId}`, {
			method: 'PUT',
			cookie: enterprise,
			json: { data: {}, currentPageNo: 0, revision: 0 }
		});
		expect(api.status).toBe(503);
		expect(JSON.parse(api.text)).toMatchObject({ code: 'database-unavailable' });

		// Anonymous: the login page renders (no database needed), the login action fails with 503.
		expect((await send(server.url, '/login')).status).toBe(200);
		const login = await send(server.url, '/login', {
			method: 'POST',
			form: { email: 'admin@demo.techcap.vn', password: 'techcap-demo-2026' }
		});
		expect(login.status).toBe(503);
		expect(login.text).not.toMatch(/at \w+ \(|node_modules|stack/i);

		expect(server.process.exitCode).toBeNull();
		expect(server.output()).toContain('database unavailable');
	});

	it('recovers when the database is back, sessions intact', async () => {
		expect((await send(server.url, '/healthz/test?action=db-up', { method: 'POST' })).status).toBe(200);
		expect((await send(server.url, '/healthz/ready')).status).toBe(200);
		expect((await send(server.url, '/enterprise', { cookie: enterprise })).status).toBe(200);
		await loginAsRole(server.url, 'admin');
	});
});

describe('SIGTERM', () => {
	it('finishes the in-flight request, flushes its write, closes the database and exits 0', async () => {
		const server = await startServer({ TECHCAP_TEST_HOOKS: '1' });
		try {
			const marker = `inflight-${Date.now()}`;
			const started = Date.now();
			const inflight = send(server.url, `/healthz/test?action=slow&ms=1500&marker=${marker}`);
			await new Promise((r) => setTimeout(r, 300));
			const exited = new Promise<number | null>((r) => server.process.once('exit', (code) => r(code)));
			server.process.kill('SIGTERM');
			await new Promise((r) => setTimeout(r, 200));
			// No new connections once stopping.
			await expect(fetch(`${server.url}/healthz/live`)).rejects.toThrow();
			const r = await inflight;
			expect(r.status).toBe(200);
			expect(JSON.parse(r.text)).toMatchObject({ marker });
			expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
			expect(await exited).toBe(0);
			expect(server.output()).toMatch(/stopped \(SIGTERM\) in \d+ ms, database closed/);
			// The write made during the drain is on disk.
			const db = await openDatabase({ dir: server.dataDir, indexes: false });
			try {
				expect(
					await db.collection('audit').countDocuments({ action: 'test.slow-request', target: marker })
				).toBe(1);
			} finally {
				await db.close();
			}
		} finally {
			await server.stop();
		}
	});
});
