/**
 * The admin user list in chromium on a phone: searchable without tone marks, paged, and the
 * publishing right toggled for an analyst from the page, in Vietnamese, without sideways scrolling.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, loginAs, newContext } from './browser';
import { DEMO_LOGINS } from '../../src/lib/server/demo/accounts';

const baseUrl = inject('baseUrl');
const admin = DEMO_LOGINS.find((l) => l.role === 'admin')!;
const analyst = DEMO_LOGINS.find((l) => l.role === 'analyst')!;
let browser: Browser;

beforeAll(async () => {
	browser = await launch();
});
afterAll(async () => {
	await browser?.close();
});

describe('/admin/users', () => {
	test('search, role filter and the publishing toggle work at 390 px', async () => {
		const ctx = await newContext(browser, baseUrl, { mobile: true });
		const page = await ctx.newPage();
		await loginAs(page, admin.email, admin.password);
		await page.goto('/admin/users?role=analyst');
		await expect(page.getByTestId('users-pager').textContent()).resolves.toMatch(/trang 1\/1/);
		const row = page.locator('[data-testid=users-table] tbody tr', { hasText: analyst.email });
		const cell = row.getByTestId('user-publisher');
		const before = (await cell.textContent()) ?? '';
		const wasPublisher = before.includes('Rút quyền công bố');
		await cell.locator('button').click();
		await expect
			.poll(() => cell.textContent(), { timeout: 10_000 })
			.toContain(wasPublisher ? 'Cho phép công bố' : 'Rút quyền công bố');
		await expect(page.getByTestId('users-notice').textContent()).resolves.toContain(analyst.email);
		// Put it back, so other tests see the demo analyst as it was.
		await cell.locator('button').click();
		await expect
			.poll(() => cell.textContent(), { timeout: 10_000 })
			.toContain(wasPublisher ? 'Rút quyền công bố' : 'Cho phép công bố');
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
		// A name typed without tone marks finds the account.
		const name = analyst.name;
		const plain = name
			.normalize('NFD')
			.replace(/[\u0300-\u036f]/g, '')
			.replace(/[đĐ]/g, 'd');
		await page.goto(`/admin/users?q=${encodeURIComponent(plain)}`);
		await expect(page.getByTestId('users-table').textContent()).resolves.toContain(analyst.email);
		await ctx.close();
	});
});
