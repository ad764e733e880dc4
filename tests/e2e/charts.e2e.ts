/**
 * Charts follow their page's figures: a filter changed by client-side navigation (no page load)
 * redraws the chart with the data the table shows, read from the figures the canvas was given
 * (data-labels / data-values), and the campaign progress chart draws the daily table.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { readFileSync } from 'node:fs';
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

/** The gap table's rows as text: segment, n, below, share, gap (the total first). */
function gapRows(page: Page): Promise<string[][]> {
	return page
		.getByTestId('gap-table')
		.locator('tbody tr')
		.evaluateAll((trs) =>
			trs.map((tr) => [
				tr.querySelector('th')!.textContent!,
				...[...tr.querySelectorAll('td')].map((td) => td.textContent!)
			])
		);
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
		const rows = await gapRows(page);
		const published = rows
			.slice(1)
			.filter((r) => viNumber(r[1]) !== null)
			.slice(0, 15);
		expect(published.length).toBeGreaterThan(0);
		expect(after.labels).toEqual(published.map((r) => r[0].trim()));
		expect(after.values).toEqual([published.map((r) => viNumber(r[3]))]);

		// Another breakdown: the chart follows again; where every segment is withheld it says so instead of empty axes.
		await page.selectOption('#by', 'ownership');
		await Promise.all([
			page.waitForURL(/by=ownership/),
			page.getByRole('button', { name: 'Xem', exact: true }).click()
		]);
		await page.waitForFunction(
			(old) => document.querySelector('[data-testid=gap-chart] canvas')?.getAttribute('data-labels') !== old,
			JSON.stringify(after.labels)
		);
		const ownership = (await gapRows(page)).slice(1).filter((r) => viNumber(r[1]) !== null);
		const drawn = JSON.parse(
			(await page.getByTestId('gap-chart').locator('canvas').getAttribute('data-labels'))!
		);
		expect(drawn).toEqual(ownership.slice(0, 15).map((r) => r[0].trim()));
		expect(await page.getByTestId('gap-chart-empty').count()).toBe(ownership.length === 0 ? 1 : 0);
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
		// The box plot (Chart.js plugin) draws exactly the segments whose quartiles the table publishes.
		// The comparison table (the first; the box plot's own table follows): median, P25, P75, P90 are its 4th to 7th figures.
		const quartiles = await page
			.getByTestId('comparison')
			.locator('table')
			.first()
			.locator('tbody tr')
			.evaluateAll((trs) =>
				trs.map((tr) => [
					tr.querySelector('th')!.textContent!.trim(),
					...[...tr.querySelectorAll('td')].slice(3, 7).map((td) => td.textContent!.trim())
				])
			);
		const boxes = await chartFigures(page, 'boxplot');
		expect(boxes.labels).toEqual(quartiles.filter((r) => !r.slice(1).includes(':c')).map(([label]) => label));
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

/** One 0.02° square per register ward on a grid over Hanoi, plus a feature the register does not know. */
function wardFile(): Buffer {
	const wards = (
		JSON.parse(readFileSync('surveys/common/wards-hanoi.json', 'utf8')) as {
			wards: { id: string; name: string }[];
		}
	).wards;
	const square = (i: number, props: Record<string, string>) => {
		const x = 105.5 + (i % 10) * 0.02;
		const y = 20.9 + Math.floor(i / 10) * 0.02;
		return {
			type: 'Feature',
			properties: props,
			geometry: {
				type: 'Polygon',
				coordinates: [
					[
						[x, y],
						[x + 0.02, y],
						[x + 0.02, y + 0.02],
						[x, y + 0.02],
						[x, y]
					]
				]
			}
		};
	};
	const features = wards.map((w, i) => square(i, i % 2 ? { name: `Phường ${w.name}` } : { ward: w.id }));
	features.push(square(wards.length, { name: 'Phường Không Có' }));
	return Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }));
}

describe('the release page explains the weighting', () => {
	test('strata after merging with register N, respondents n and weight N/n; what n means', async () => {
		const ctx = await newContext(browser, baseUrl, { mobile: true });
		const page = await ctx.newPage();
		await loginAs(page, analyst.email, analyst.password);
		await page.goto('/analyst?sector=mechanical');
		const href = await page
			.locator('a[href^="/analyst/releases/"]')
			.evaluateAll((as) =>
				as.map((a) => a.getAttribute('href')!).find((h) => /^\/analyst\/releases\/[^/]+$/.test(h))
			);
		await page.goto(href!);
		const text = (await page.getByTestId('weighting').textContent())!;
		expect(text).toContain('hậu phân tầng');
		expect(text).toMatch(/ít hơn \d+ doanh nghiệp trả lời được gộp/);
		expect(text).toContain('không có trọng số');
		const rows = await page
			.getByTestId('weighting-strata')
			.locator('tbody tr')
			.evaluateAll((trs) =>
				trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent!.trim()))
			);
		expect(rows.length).toBeGreaterThan(0);
		for (const [, N, n, w] of rows) {
			// Published: the weight is N/n, written with a decimal comma; withheld: all :c.
			if (n === ':c') expect(w).toBe(':c');
			else expect(viNumber(w)).toBeCloseTo(viNumber(N)! / viNumber(n)!, 2);
		}
		await ctx.close();
	});
});

describe('ward boundaries and the choropleth', () => {
	test('non-admins cannot upload; an admin is refused a hostile file, then uploads; the maps draw the table figures', async () => {
		const ctx = await newContext(browser, baseUrl);
		const page = await ctx.newPage();
		await loginAs(page, admin.email, admin.password);
		await page.goto('/admin/boundaries');
		await page.getByTestId('boundary-none').waitFor();

		// Not JSON: refused, in Vietnamese, nothing stored.
		await page.setInputFiles('#file', {
			name: 'wards.geojson',
			mimeType: 'application/geo+json',
			buffer: Buffer.from('<kml></kml>')
		});
		await Promise.all([
			page.waitForLoadState('load'),
			page.getByRole('button', { name: 'Kiểm tra và lưu' }).click()
		]);
		expect(await page.getByTestId('boundary-errors').textContent()).toContain('không phải JSON');
		expect(await page.getByTestId('boundary-none').count()).toBe(1);

		await page.setInputFiles('#file', {
			name: 'wards.geojson',
			mimeType: 'application/geo+json',
			buffer: wardFile()
		});
		await Promise.all([
			page.waitForLoadState('load'),
			page.getByRole('button', { name: 'Kiểm tra và lưu' }).click()
		]);
		await page.getByTestId('boundary-saved').waitFor();
		expect(await page.getByTestId('boundary-unmatched').textContent()).toContain('Phường Không Có');
		expect(await page.getByTestId('boundary-versions').locator('tbody tr').count()).toBe(1);

		// Another role posting the same form is refused by the central check (the admin's identical post is the control).
		const post = (p: typeof page) =>
			p.request.post('/admin/boundaries', {
				headers: { origin: baseUrl },
				multipart: { file: { name: 'w.geojson', mimeType: 'application/json', buffer: wardFile() } },
				maxRedirects: 0
			});
		expect((await post(page)).status()).toBe(200);
		for (const who of [DEMO_LOGINS.find((l) => l.role === 'analyst')!, policymaker]) {
			const other = await ctx.browser()!.newContext({ baseURL: baseUrl, locale: 'vi-VN' });
			const p = await other.newPage();
			await loginAs(p, who.email, who.password);
			expect((await post(p)).status()).toBe(403);
			await other.close();
		}
		await page.goto('/admin/boundaries');
		expect(await page.getByTestId('boundary-versions').locator('tbody tr').count()).toBe(2);
		await ctx.close();

		// The analyst's ward comparison: one map area per register ward, coloured only where the table publishes a mean.
		const actx = await newContext(browser, baseUrl, { mobile: true });
		const ap = await actx.newPage();
		await loginAs(ap, analyst.email, analyst.password);
		await ap.goto('/analyst?sector=mechanical&compare=ward');
		const figures = await chartFigures(ap, 'ward-map');
		const rows = await ap
			.getByTestId('comparison')
			.locator('tbody tr')
			.evaluateAll((trs) =>
				trs.map((tr) => [
					tr.querySelector('th')!.textContent!.trim(),
					tr.querySelectorAll('td')[1].textContent!.trim()
				])
			);
		const mean = new Map(rows.map(([ward, m]) => [ward, viNumber(m)]));
		expect(figures.labels.length).toBeGreaterThan(20);
		figures.labels.forEach((ward, i) => {
			const v = figures.values[0][i];
			expect(v === null ? null : Math.round(v * 10) / 10).toBe(mean.get(ward) ?? null);
		});
		expect(await ap.getByTestId('ward-map').textContent()).toContain('Gạch chéo xám');
		await actx.close();

		// The policymaker's gap map by ward draws the map too; the table stays.
		const pctx = await newContext(browser, baseUrl, { mobile: true });
		const pp = await pctx.newPage();
		await loginAs(pp, policymaker.email, policymaker.password);
		await pp.goto('/policy?by=ward');
		const gap = await chartFigures(pp, 'gap-ward-map');
		expect(gap.labels.length).toBe(figures.labels.length);
		expect(await pp.getByTestId('gap-table').locator('tbody tr').count()).toBeGreaterThan(1);
		await pctx.close();
	});
});
