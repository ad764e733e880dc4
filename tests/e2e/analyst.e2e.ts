/**
 * The analyst journey on the demo database: open a sector dashboard for a year, filter by size,
 * download the aggregates CSV and check it is UTF-8 with BOM, Vietnamese, and carries ':c' marks.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { launch, loginAs, newContext } from './browser';
import { DEMO_LOGINS } from '../../src/lib/server/demo/accounts';

const baseUrl = inject('baseUrl');
const analyst = DEMO_LOGINS.find((l) => l.role === 'analyst')!;
let browser: Browser;

beforeAll(async () => {
	browser = await launch();
});
afterAll(async () => {
	await browser?.close();
});

describe('analyst dashboard', () => {
	test('sector dashboard for a year, filtered by size, CSV download in Vietnamese with :c marks', async () => {
		const ctx = await newContext(browser, baseUrl);
		const page = await ctx.newPage();
		await loginAs(page, analyst.email, analyst.password);
		await page.goto('/analyst?sector=mechanical');
		await expect(page.locator('h1').textContent()).resolves.toBe(
			'Cơ sở dữ liệu trình độ công nghệ theo ngành'
		);
		// Pick the earliest year's release.
		const releases = await page
			.locator('#release option')
			.evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
		expect(releases.length).toBeGreaterThanOrEqual(2);
		await page.selectOption('#release', releases.at(-1)!);
		await page.selectOption('#f-size', 'small');
		await Promise.all([page.waitForURL(/size=small/), page.getByTestId('apply').click()]);
		await expect(page.getByTestId('selected').textContent()).resolves.toContain('Nhỏ');
		await expect(page.getByTestId('legend').textContent()).resolves.toContain(':c');
		await page.getByTestId('levels').locator('canvas[data-rendered=true]').waitFor();

		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByTestId('csv-aggregates').click()
		]);
		const path = await download.path();
		const bytes = readFileSync(path!);
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = bytes.toString('utf8').slice(1);
		expect(text.split('\r\n')[0]).toContain('Số DN (n)');
		expect(text).toContain('Quy mô');
		expect(text).toContain('Nhỏ');
		// A data row (not only the legend) carries the confidential mark.
		const dataRows = text.split('\r\n').slice(1, -2);
		expect(dataRows.some((l) => l.includes(':c'))).toBe(true);
		expect(text).toContain('Bảo mật (:c)');
		await ctx.close();
	}, 60_000);

	test('the public API serves protected aggregates with CORS and rejects a bad by', async () => {
		const list = await fetch(`${baseUrl}/api/v1/releases?sector=mechanical`);
		expect(list.headers.get('access-control-allow-origin')).toBe('*');
		const { releases } = (await list.json()) as { releases: Array<{ id: string }> };
		const r = await fetch(`${baseUrl}/api/v1/releases/${releases[0].id}/benchmarks?by=size,ownership`);
		const body = (await r.json()) as {
			segments: Array<{ suppressed: boolean; n: number | null; total: unknown }>;
		};
		for (const s of body.segments.filter((x) => x.suppressed)) expect([s.n, s.total]).toEqual([null, null]);
		expect(
			(await fetch(`${baseUrl}/api/v1/releases/${releases[0].id}/benchmarks?by=size,revenue`)).status
		).toBe(400);
	});
});
