/**
 * Issue 7's journey in chromium (Vietnamese UI, phone width): the demo policymaker opens the policy
 * area, builds a shortlist for the equipment programme with a budget, reads the
 * baseline comparison, and exports the CSV (names, tax codes and levels of the selection: what
 * policymakers may see to choose whom to support). The analyst (microdata rights) then gets the
 * rows with explanations, and the export pseudonymised.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launch, loginAs, newContext } from './browser';
import { DEMO_LOGINS } from '../../src/lib/server/demo/accounts';

const baseUrl = inject('baseUrl');
const policymaker = DEMO_LOGINS.find((l) => l.role === 'policymaker')!;
const analyst = DEMO_LOGINS.find((l) => l.role === 'analyst')!;
let browser: Browser;

beforeAll(async () => {
	browser = await launch();
});
afterAll(async () => {
	await browser?.close();
});

async function download(page: Page): Promise<string> {
	const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
	const path = await dl.path();
	return readFileSync(path!, 'utf8');
}

async function buildShortlist(page: Page) {
	await page.goto('/policy/shortlist');
	await page.selectOption('#programme', 'doi-moi-thiet-bi');
	await page.check('input[name=mode][value=budget]');
	await page.fill('#amount', '2.000.000.000');
	await Promise.all([
		page.waitForURL(/amount=/),
		page.getByRole('button', { name: 'Lập danh sách' }).click()
	]);
}

describe('policy journey', () => {
	test('policymaker: gap map → shortlist of whom to support → CSV export', async () => {
		const ctx = await newContext(browser, baseUrl, { mobile: true });
		const page = await ctx.newPage();
		await loginAs(page, policymaker.email, policymaker.password);
		await page.goto('/policy');
		await expect(
			page.getByRole('heading', { name: 'Bản đồ khoảng cách công nghệ' }).isVisible()
		).resolves.toBe(true);
		expect(await page.getByTestId('gap-table').locator('tbody tr').count()).toBeGreaterThan(1);

		await buildShortlist(page);
		const rows = page.getByTestId('shortlist-table').locator('tbody tr');
		const n = await rows.count();
		// 2 bn VND at 500 m per enterprise: at most 4 places.
		expect(n).toBeGreaterThan(0);
		expect(n).toBeLessThanOrEqual(4);
		const summary = await page.getByTestId('shortlist-summary').textContent();
		expect(summary).toContain('Cách chọn đơn giản');
		expect(await page.getByTestId('excluded').textContent()).toContain('Quy mô không thuộc diện hỗ trợ');
		// Policymakers see whom to support (name, level), not the enterprises' points.
		expect(await page.getByTestId('targets-note').isVisible()).toBe(true);
		expect(await page.getByTestId('explanation').count()).toBe(0);

		const csv = await download(page);
		expect(csv.charCodeAt(0)).toBe(0xfeff);
		const lines = csv.trim().split('\r\n');
		expect(lines[0]).toContain('Tên doanh nghiệp,Mã số thuế');
		expect(lines[0]).not.toContain('Mã ẩn danh');
		expect(lines).toHaveLength(n + 1);
		const firstName = (await rows.first().locator('th').textContent())!;
		expect(lines[1].startsWith('1,')).toBe(true);
		expect(firstName).toContain(lines[1].split(',')[1]);
		await ctx.close();
	});

	test('analyst with microdata rights: rows with explanations; the export carries pseudonyms only', async () => {
		const ctx = await newContext(browser, baseUrl);
		const page = await ctx.newPage();
		await loginAs(page, analyst.email, analyst.password);
		await buildShortlist(page);
		const rows = page.getByTestId('shortlist-table').locator('tbody tr');
		await rows.first().locator('summary').click();
		const why = (await page.getByTestId('explanation').first().textContent())!;
		expect(why).toMatch(/Hiện tại: .*Chương trình nâng: T1 .*→.*Dự kiến:/);
		expect(await page.getByTestId('mark-form').count()).toBe(0);
		const csv = await download(page);
		const header = csv.split('\r\n')[0];
		expect(header).not.toContain('Tên doanh nghiệp');
		expect(header).not.toContain('Mã số thuế');
		expect(csv).not.toMatch(/Công ty|Doanh nghiệp tư nhân|HTX/);
		expect(csv.split('\r\n')[1]).toMatch(/^1,[0-9a-f]{20},/);
		await ctx.close();
	});

	test('policymaker: programmes, what-if, follow-up and the full gap map render with data', async () => {
		const ctx = await newContext(browser, baseUrl);
		const page = await ctx.newPage();
		await loginAs(page, policymaker.email, policymaker.password);
		await page.goto('/policy/programmes');
		expect(await page.getByTestId('programme-table').locator('tbody tr').count()).toBe(5);
		await page.goto('/policy/what-if?target=O13&raise=2&size=small');
		expect(await page.getByTestId('whatif-table').locator('tbody tr').count()).toBe(5);
		expect(await page.getByTestId('whatif-summary').textContent()).toMatch(/doanh nghiệp trong phân tổ/);
		await page.goto('/policy/follow-up');
		await Promise.all([page.waitForURL(/before=/), page.getByRole('button', { name: 'So sánh' }).click()]);
		expect(await page.getByTestId('did').textContent()).toContain('DN được hỗ trợ (n)');
		await page.goto('/policy?by=all');
		expect(await page.getByTestId('gap-table').textContent()).toContain(':c');
		await ctx.close();
	});
});
