import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, loginAs, newContext } from './browser';
import { DEMO_LOGINS } from '../../src/lib/server/demo/accounts';

const baseUrl = inject('baseUrl');
const admin = DEMO_LOGINS.find((l) => l.role === 'admin')!;
const enterprise = DEMO_LOGINS.find((l) => l.role === 'enterprise')!;
let browser: Browser;

beforeAll(async () => {
	browser = await launch();
});
afterAll(async () => {
	await browser?.close();
});

describe('foundation journeys', () => {
	test('healthz reports the embedded engine', async () => {
		const r = await fetch(`${baseUrl}/healthz`);
		expect(r.status).toBe(200);
		expect(await r.json()).toEqual({ status: 'ok', db: 'embedded' });
	});

	test('the demo admin logs in, sees the users page in Vietnamese, and switches to English', async () => {
		const ctx = await newContext(browser, baseUrl);
		const page = await ctx.newPage();
		await loginAs(page, admin.email, admin.password);
		// Each role lands on its own work after signing in: the admin on the campaigns.
		expect(new URL(page.url()).pathname).toBe('/admin/campaigns');
		await page.goto('/');
		await expect(page.getByTestId('welcome').textContent()).resolves.toContain(admin.name);
		await page.goto('/admin/users');
		await expect(page.locator('h1').textContent()).resolves.toBe('Người dùng');
		const table = await page.getByTestId('users-table').textContent();
		for (const l of DEMO_LOGINS) expect(table).toContain(l.email);
		await page.click('button[name=locale][value=en]');
		await page.waitForLoadState('networkidle');
		await expect(page.locator('h1').textContent()).resolves.toBe('Users');
		await ctx.close();
	});

	test('a wrong password shows a clear message and no session', async () => {
		const ctx = await newContext(browser, baseUrl);
		const page = await ctx.newPage();
		await page.goto('/login');
		await page.fill('#email', admin.email);
		await page.fill('#password', 'wrong-password-123');
		await page.click('button[type=submit]');
		await expect(page.getByTestId('login-error').textContent()).resolves.toMatch(/không đúng/);
		const cookies = await ctx.cookies();
		expect(cookies.find((c) => c.name.includes('session'))).toBeUndefined();
		await ctx.close();
	});

	test('what a user types before the page has finished loading its scripts is kept (slow phone)', async () => {
		const ctx = await newContext(browser, baseUrl, { mobile: true });
		const page = await ctx.newPage();
		// The page's scripts arrive late, as on a slow connection: the user types first.
		let release: () => void = () => {};
		const held = new Promise<void>((r) => (release = r));
		await page.route('**/_app/immutable/**/*.js', async (route) => {
			await held;
			await route.continue();
		});
		await page.goto('/login', { waitUntil: 'domcontentloaded' });
		await page.fill('#email', admin.email);
		await page.fill('#password', admin.password);
		release();
		await page.waitForLoadState('networkidle');
		await expect(page.inputValue('#email')).resolves.toBe(admin.email);
		await Promise.all([
			page.waitForURL((u) => !u.pathname.startsWith('/login')),
			page.click('button[type=submit]')
		]);
		await ctx.close();
	});

	test('an enterprise user is refused the admin pages', async () => {
		const ctx = await newContext(browser, baseUrl);
		const page = await ctx.newPage();
		await loginAs(page, enterprise.email, enterprise.password);
		const r = await page.goto('/admin/users');
		expect(r?.status()).toBe(403);
		await ctx.close();
	});

	test('an anonymous visitor is sent to the login page from admin pages, and the menu works on a phone', async () => {
		const ctx = await newContext(browser, baseUrl, { mobile: true });
		const page = await ctx.newPage();
		await page.goto('/admin/users');
		expect(new URL(page.url()).pathname).toBe('/login');
		expect(new URL(page.url()).searchParams.get('next')).toBe('/admin/users');
		// On a phone the navigation is folded behind the menu button.
		await expect(page.locator('#main-nav').isVisible()).resolves.toBe(false);
		await page.waitForSelector('html[data-hydrated=true]');
		await page.click('.menu-toggle');
		await expect(page.locator('#main-nav').isVisible()).resolves.toBe(true);
		await ctx.close();
	});
});
