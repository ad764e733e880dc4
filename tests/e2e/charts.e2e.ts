/**
 * Charts follow their page's figures: a filter changed by client-side navigation (no page load)
 * redraws the chart with the data the table shows, read from the figures the canvas was given
 * (data-labels / data-values), and the campaign progress chart draws the daily table.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, loginAs, newContext } from './browser';
import { DEMO_LOGINS } from '../../src/lib/server/demo/accounts';

const baseUrl = inject('baseUrl');
const policymaker = DEMO_LOGINS.find((l) => l.role === 'policymaker')!;
const admin = DEMO_LOGINS.find((l) => l.role === 'admin')!;
const analyst = DEMO_LOGINS.find((l) => l.role === 'analyst')!;
let browser: Browser;

beforeAll(async () => {
	browser = await launch();
});
afterAll(async () => {
	await browser?.close();
});

/** A figure as the Vietnamese page writes it ("67,4", "1.234,5"); ':c' (withheld) is null. */
function viNumber(text: string): number | null {
	const t = text.trim();
	if (t === ':c' || t === '') return null;
	return Number(t.replace(/\./g, '').replace(',', '.'));
}

async function chartFigures(page: Page, testid: string) {
	const canvas = page.getByTestId(testid).locator('canvas[data-rendered=true]');
	await canvas.waitFor();
	return {
		labels: JSON.parse((await canvas.getAttribute('data-labels'))!) as string[],
		values: JSON.parse((await canvas.getAttribute('data-values'))!) as (number | null)[][]
	};
}

describe('charts follow filters', () => {
	test('gap map: changing "by" without a page load redraws the chart with the table figures', async () => {
		const ctx = await newContext(browser, baseUrl, { mobile: true });
		const page = await ctx.newPage();
		await loginAs(page, policymaker.email, policymaker.password);
		await page.goto('/policy?by=size');
		const before = await chartFigures(page, 'gap-chart');
		// A full page load would clear this; client-side navigation keeps it.
		await page.evaluate(() => ((window as unknown as { __kept: number }).__kept = 1));

		await page.selectOption('#by', 'vsic');
		await Promise.all([
			page.waitForURL(/by=vsic/),
			page.getByRole('button', { name: 'Xem', exact: true }).click()
		]);
		await page.waitForFunction(
			(old) => document.querySelector('[data-testid=gap-chart] canvas')?.getAttribute('data-labels') !== old,
			JSON.stringify(before.labels)
		);
		expect(await page.evaluate(() => (window as unknown as { __kept?: number }).__kept)).toBe(1);

		const after = await chartFigures(page, 'gap-chart');
		expect(after.labels).not.toEqual(before.labels);
		// The table: the total row first, then the segments; the chart draws the published segments.
		const rows = await page
			.getByTestId('gap-table')
			.locator('tbody tr')
			.evaluateAll((trs) =>
				trs.map((tr) => [
					tr.querySelector('th')!.textContent!,
					...[...tr.querySelectorAll('td')].map((td) => td.textContent!)
				])
			);
		const published = rows
			.slice(1)
			.filter((r) => viNumber(r[1]) !== null)
			.slice(0, 15);
		expect(published.length).toBeGreaterThan(0);
		expect(after.labels).toEqual(published.map((r) => r[0].trim()));
		expect(after.values).toEqual([published.map((r) => viNumber(r[3]))]);

		// Every segment withheld (the demo's ownership classes are small): the chart says so instead of empty axes.
		await page.selectOption('#by', 'ownership');
		await Promise.all([
			page.waitForURL(/by=ownership/),
			page.getByRole('button', { name: 'Xem', exact: true }).click()
		]);
		await page.getByTestId('gap-chart-empty').waitFor();
		expect(
			JSON.parse((await page.getByTestId('gap-chart').locator('canvas').getAttribute('data-labels'))!)
		).toEqual([]);
		expect(await page.evaluate(() => (window as unknown as { __kept?: number }).__kept)).toBe(1);
		await ctx.close();
	});

	test('campaign progress: the chart draws the daily table, with PNG and CSV downloads', async () => {
		const ctx = await newContext(browser, baseUrl);
		const page = await ctx.newPage();
		await loginAs(page, admin.email, admin.password);
		await page.goto('/admin/campaigns');
		const hrefs = await page
			.locator('a[href^="/admin/campaigns/"]')
			.evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
		const campaign = hrefs.find((h) => /^\/admin\/campaigns\/[^/?#]+$/.test(h) && !h.endsWith('/new'));
		expect(campaign).toBeTruthy();
		await page.goto(`${campaign}/tracking`);
		const figures = await chartFigures(page, 'progress');
		const table = await page
			.getByTestId('daily-table')
			.locator('tbody tr')
			.evaluateAll((trs) =>
				trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()))
			);
		expect(table.length).toBeGreaterThan(0);
		expect(figures.labels).toEqual(table.map((r) => r[0]));
		expect(figures.values).toEqual([1, 2, 3, 4].map((c) => table.map((r) => Number(r[c]))));

		const [csv] = await Promise.all([
			page.waitForEvent('download'),
			page.getByTestId('progress-downloads').getByRole('button', { name: 'Tải CSV' }).click()
		]);
		expect(csv.suggestedFilename()).toMatch(/^techcap-progress-.+\.csv$/);
		const [png] = await Promise.all([
			page.waitForEvent('download'),
			page.getByTestId('progress-downloads').getByRole('button', { name: 'Tải ảnh PNG' }).click()
		]);
		expect(png.suggestedFilename()).toMatch(/\.png$/);
		await ctx.close();
	});

	test('one number format per language: the analyst and policy pages both write a decimal comma in Vietnamese', async () => {
		const ctx = await newContext(browser, baseUrl);
		const page = await ctx.newPage();
		await loginAs(page, analyst.email, analyst.password);
		await page.goto('/analyst?sector=mechanical&compare=size');
		const cells = await page
			.getByTestId('comparison')
			.locator('tbody td')
			.evaluateAll((tds) => tds.map((td) => td.textContent!.trim()));
		const decimals = cells.filter((c) => /\d[.,]\d/.test(c));
		expect(decimals.length).toBeGreaterThan(0);
		// A mean like 43,3 (never 43.3); ranges as 40,1–46,5.
		for (const c of decimals) expect(c).toMatch(/^-?[\d.]+(,\d)?(–-?[\d.]+(,\d)?)?$/);
		await page.goto('/policy?by=size');
		const shares = await page
			.getByTestId('gap-table')
			.locator('tbody tr td:nth-child(4)')
			.evaluateAll((tds) => tds.map((td) => td.textContent!.trim()));
		expect(shares.some((c) => /^\d+,\d$/.test(c))).toBe(true);
		expect(shares.every((c) => c === ':c' || /^\d+(,\d)?$/.test(c))).toBe(true);
		await ctx.close();
	});
});
