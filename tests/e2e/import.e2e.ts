/**
 * Issue 6's journey in chromium (Vietnamese UI, phone width): the demo analyst registers two
 * enterprises from a CSV, downloads the current mechanical campaign's template, fills two rows,
 * uploads them, checks the preview and column mapping, confirms, follows the progress to the
 * result summary and downloads the problem report.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, loginAs, newContext } from './browser';
import { ROOT } from './server';
import { DEMO_LOGINS } from '../../src/lib/server/demo/accounts';
import { generateResponses } from '../../src/lib/domain/generator';
import { buildTemplate, toCsvString } from '../../src/lib/domain/csv';
import { answersToRecord } from '../../src/lib/server/imports/record';

const baseUrl = inject('baseUrl');
const analyst = DEMO_LOGINS.find((l) => l.role === 'analyst')!;
const questionnaire = JSON.parse(
	readFileSync(join(ROOT, 'surveys/mechanical/2025.1/questionnaire.json'), 'utf8')
);
let browser: Browser;

beforeAll(async () => {
	browser = await launch();
});
afterAll(async () => {
	await browser?.close();
});

async function upload(
	page: Page,
	kind: 'responses' | 'enterprises',
	campaign: string | null,
	name: string,
	text: string
) {
	await page.goto('/analyst/imports');
	await page.locator(`input[name=kind][value=${kind}]`).check();
	if (campaign) {
		// Options read "<campaign> (<phase>)".
		const value = await page
			.locator('select[name=campaignId] option', { hasText: campaign })
			.first()
			.getAttribute('value');
		await page.locator('select[name=campaignId]').selectOption(value!);
	}
	await page
		.locator('input[type=file]')
		.setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
	await Promise.all([
		page.waitForURL(/\/analyst\/imports\/[^/]+$/),
		page.getByRole('button', { name: 'Tải lên và xem trước' }).click()
	]);
}

async function confirmAndWait(page: Page) {
	await page.getByTestId('import-confirm').click();
	// Two rows are quick: the page shows either the progress bar (then polls) or the result at once.
	await page.locator('[data-testid=import-progress], [data-testid=import-result]').first().waitFor();
	await page.getByTestId('import-result').waitFor({ timeout: 30_000 });
}

describe('CSV import journey', () => {
	test('register → template → upload → preview → confirm → progress → summary → report', async () => {
		const ctx = await newContext(browser, baseUrl, { mobile: true });
		const page = await ctx.newPage();
		await loginAs(page, analyst.email, analyst.password);
		const year = new Date().getFullYear();
		const campaign = `Khảo sát Cơ khí chế tạo năm ${year}`;
		const rs = generateResponses({
			questionnaire,
			sector: 'mechanical',
			count: 2,
			seed: `e2e-import-${Date.now()}`,
			missingRate: 0
		});

		// 1. The two enterprises join the register (Vietnamese headers, `;`, decimal comma).
		const register =
			'\uFEFFMã số thuế;Tên doanh nghiệp;Mã VSIC;Loại hình sở hữu;Phường/xã;Số lao động;Doanh thu (tỷ đồng)\r\n' +
			rs
				.map((r) =>
					[
						r.profile.taxCode,
						r.profile.name,
						r.profile.vsic,
						r.profile.ownership,
						r.profile.ward,
						r.profile.employees,
						String(r.profile.revenueBn).replace('.', ',')
					].join(';')
				)
				.join('\r\n') +
			'\r\n';
		await upload(page, 'enterprises', null, 'danh-ba.csv', register);
		expect(await page.getByTestId('import-mapping').textContent()).toContain('taxCode');
		await confirmAndWait(page);
		expect(await page.getByTestId('import-counts').textContent()).toContain('Thêm mới 2');

		// 2. The template of the current campaign has exactly the questionnaire's columns, a row of
		// their labels in the page's language, and one example row whose tax code says it is an example.
		await page.goto('/analyst/imports');
		const href = await page
			.locator('li', { hasText: campaign })
			.getByTestId('template-link')
			.getAttribute('href');
		const templateText = (await (await page.request.get(href!)).text()).replace(/^\uFEFF/, '').trim();
		const template = buildTemplate(questionnaire);
		const [headerLine, labelLine, exampleLine, ...rest] = templateText.split('\r\n');
		expect(headerLine.split(',')).toEqual(template.columns.map((c) => c.name));
		expect(labelLine).toMatch(/^Mã số thuế,Tên doanh nghiệp,/);
		expect(exampleLine).toMatch(/^VÍ DỤ - xóa dòng này,/);
		expect(rest).toEqual([]);

		// 3. Upload two filled rows, check preview and mapping, confirm.
		const csv = toCsvString(
			rs.map((r) => answersToRecord(template, r.answers)),
			template.columns.map((c) => c.name)
		);
		await upload(page, 'responses', campaign, 'phieu-giay.csv', csv);
		const preview = page.getByTestId('import-preview');
		await preview.waitFor();
		expect(await page.getByTestId('import-mapping').textContent()).toContain('profile_tax_code');
		expect(await page.getByTestId('import-rows').locator('tbody tr').count()).toBe(2);
		expect(await page.getByTestId('import-rows').textContent()).toContain(rs[0].profile.taxCode);
		await confirmAndWait(page);
		expect(await page.getByTestId('import-status').textContent()).toBe('Đã lưu');
		expect(await page.getByTestId('import-counts').textContent()).toContain('Thêm mới 2');

		// 4. The report downloads as CSV (empty apart from its header here).
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByTestId('import-report').click()
		]);
		const report = readFileSync((await download.path())!, 'utf8');
		expect(report.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('row,column,value,message_vi,message_en');
		await ctx.close();
	});
});
