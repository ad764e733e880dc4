/**
 * The Content-Security-Policy (kit.csp in svelte.config.js) in a real browser: the questionnaire
 * (SurveyJS), the scorecard's Chart.js radar and the admin pages work with zero CSP violations,
 * and the app refuses to be framed.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, loginAs, newContext } from './browser';
import { DEMO_LOGINS } from '../../src/lib/server/demo/accounts';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
	browser = await launch();
});
afterAll(async () => {
	await browser?.close();
});

type Violations = { __csp: string[] };

/** Collects securitypolicyviolation events (in every document) and CSP console errors. */
async function watch(context: BrowserContext): Promise<{ page: Page; violations: () => Promise<string[]> }> {
	await context.addInitScript(() => {
		const w = window as unknown as Violations;
		w.__csp = [];
		document.addEventListener('securitypolicyviolation', (e) =>
			w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`)
		);
	});
	const page = await context.newPage();
	const console: string[] = [];
	// Script errors are reported too, so a broken page is not mistaken for a CSP problem.
	page.on('pageerror', (e) => console.push(`page error (not CSP): ${e.message}`));
	page.on('console', (m) => {
		if (/Content Security Policy|Refused to/i.test(m.text())) console.push(m.text());
	});
	return {
		page,
		violations: async () => [
			...console,
			...(await page.evaluate(() => (window as unknown as Violations).__csp))
		]
	};
}

function login(role: string) {
	const l = DEMO_LOGINS.find((x) => x.role === role)!;
	return [l.email, l.password] as const;
}

describe('CSP in chromium', () => {
	test('questionnaire (SurveyJS) renders and autosaves with no violation', async () => {
		const context = await newContext(browser, baseUrl);
		const { page, violations } = await watch(context);
		await loginAs(page, ...login('enterprise'));
		await page.goto('/enterprise');
		const open = page.getByTestId('open-response').first();
		await Promise.all([page.waitForURL(/\/enterprise\/responses\/[^/]+$/), open.click()]);
		await page.waitForSelector('.sd-root-modern');
		await page.waitForSelector('.sd-question input');
		// Typing triggers the autosave fetch (connect-src) and SurveyJS's inline styles.
		const text = page.locator('.sd-question input[type=text]').first();
		if (await text.count()) {
			await text.fill('CSP');
			await text.blur();
			await page.waitForFunction(
				() => document.querySelector('[data-testid=save-state]')?.getAttribute('data-state') === 'saved',
				null,
				{ timeout: 15_000 }
			);
		}
		expect(await violations()).toEqual([]);
		await context.close();
	});

	test('scorecard radar (Chart.js) renders with no violation', async () => {
		const context = await newContext(browser, baseUrl);
		const { page, violations } = await watch(context);
		await loginAs(page, ...login('enterprise'));
		await page.goto('/enterprise');
		const card = page.locator('a[href$="/scorecard"]').first();
		await Promise.all([page.waitForURL(/\/scorecard$/), card.click()]);
		const drawn = await page
			.waitForSelector('canvas[data-rendered=true]', { timeout: 20_000 })
			.then(() => true)
			.catch(() => false);
		expect(await violations()).toEqual([]);
		expect(drawn, 'the radar chart was drawn').toBe(true);
		await context.close();
	});

	test('admin pages (users, campaigns, audit log) with no violation', async () => {
		const context = await newContext(browser, baseUrl);
		const { page, violations } = await watch(context);
		await loginAs(page, ...login('admin'));
		for (const path of ['/admin/users', '/admin/campaigns', '/admin/audit']) {
			const r = await page.goto(path);
			expect(r?.status(), path).toBe(200);
		}
		expect(await page.locator('h1').textContent()).toBe('Nhật ký kiểm toán');
		expect(await violations()).toEqual([]);
		await context.close();
	});

	test('an inline script injected into the page is blocked (the policy is enforced, not just sent)', async () => {
		const context = await newContext(browser, baseUrl);
		const { page, violations } = await watch(context);
		await page.goto('/login');
		await page.evaluate(() => {
			const s = document.createElement('script');
			s.textContent = 'window.__injected = true';
			document.body.appendChild(s);
		});
		expect(
			await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)
		).toBeUndefined();
		expect((await violations()).some((v) => /script-src/.test(v))).toBe(true);
		await context.close();
	});

	test('the app cannot be framed by another site (frame-ancestors)', async () => {
		const context = await newContext(browser, baseUrl);
		const page = await context.newPage();
		const blocked: string[] = [];
		page.on('console', (m) => {
			if (/frame-ancestors|Refused to (display|frame)/i.test(m.text())) blocked.push(m.text());
		});
		await page.setContent(`<iframe src="${baseUrl}/login" width="400" height="300"></iframe>`);
		await page.waitForTimeout(1500);
		const frame = page.frames().find((f) => f.url().includes('/login'));
		const framedLogin = frame
			? await frame
					.locator('#email')
					.count()
					.catch(() => 0)
			: 0;
		expect(framedLogin).toBe(0);
		await context.close();
	});
});
