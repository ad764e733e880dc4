/**
 * A questionnaire with an equipment list (matrixdynamic), a date and a month question: uploaded by
 * an administrator like any version, then filled through the admin preview on a phone in
 * Vietnamese and in English, with the browser in a time zone far from the server's (UTC+14), so a
 * date typed as 29 February must stay 2024-02-29 and not shift by a day.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, loginAs, newContext } from './browser';
import { ROOT } from './server';
import { DEMO_LOGINS } from '../../src/lib/server/demo/accounts';
import { compileQuestionnaire, validateForSubmit } from '../../src/lib/domain/survey';

const baseUrl = inject('baseUrl');
const admin = DEMO_LOGINS.find((l) => l.role === 'admin')!;
const read = (file: string) => readFileSync(join(ROOT, 'surveys', 'food', '2025.1', file), 'utf8');

type SurveyWindow = {
	__techcapSurvey?: {
		currentPageNo: number;
		visiblePages: unknown[];
		data: Record<string, unknown>;
	};
};

/** The shipped food questionnaire plus a last page holding the new question types. */
function questionnaire(): string {
	const q = JSON.parse(read('questionnaire.json'));
	q.pages.push({
		name: 'e2e_types',
		title: { default: 'Equipment and dates', vi: 'Thiết bị và ngày tháng' },
		elements: [
			{
				type: 'matrixdynamic',
				name: 'e2e_equipment',
				title: { default: 'Production equipment', vi: 'Thiết bị sản xuất' },
				rowCount: 1,
				maxRowCount: 5,
				columns: [
					{ name: 'kind', title: { default: 'Type', vi: 'Loại' }, cellType: 'text', isRequired: true },
					{
						name: 'year_made',
						title: { default: 'Year made', vi: 'Năm sản xuất' },
						cellType: 'text',
						inputType: 'number',
						min: 1950,
						max: 2026,
						validators: [
							{
								type: 'numeric',
								minValue: 1950,
								maxValue: 2026,
								text: { default: 'A year from 1950 to 2026', vi: 'Năm từ 1950 đến 2026' }
							}
						]
					},
					{
						name: 'value_bn',
						title: { default: 'Original value (billion VND)', vi: 'Nguyên giá (tỷ đồng)' },
						cellType: 'text',
						inputType: 'number',
						min: 0,
						max: 10000,
						validators: [
							{
								type: 'numeric',
								minValue: 0,
								maxValue: 10000,
								text: { default: 'From 0 to 10,000', vi: 'Từ 0 đến 10.000' }
							}
						]
					},
					{
						name: 'installed',
						title: { default: 'Installed', vi: 'Lắp đặt' },
						cellType: 'text',
						inputType: 'date'
					}
				]
			},
			{
				type: 'text',
				inputType: 'date',
				name: 'e2e_audit_date',
				title: { default: 'Audit date', vi: 'Ngày kiểm toán' }
			},
			{
				type: 'text',
				inputType: 'month',
				name: 'e2e_audit_month',
				title: { default: 'Audit month', vi: 'Tháng kiểm toán' }
			}
		]
	});
	return JSON.stringify(q);
}

let browser: Browser;
let desk: BrowserContext;
let phone: BrowserContext;

beforeAll(async () => {
	browser = await launch();
	desk = await newContext(browser, baseUrl);
	const page = await desk.newPage();
	await loginAs(page, admin.email, admin.password);
	const json = (name: string, body: string) => ({
		name,
		mimeType: 'application/json',
		buffer: Buffer.from(body)
	});
	await page.goto('/admin/surveys/upload');
	await page.setInputFiles('#questionnaire', json('questionnaire.json', questionnaire()));
	await page.setInputFiles(
		'#rubric',
		json('rubric.json', JSON.stringify({ ...JSON.parse(read('rubric.json')), version: 'e2e-types.1' }))
	);
	await page.getByRole('button', { name: 'Kiểm tra và lưu' }).click();
	const stored = page.waitForURL('**/admin/surveys?created=*').then(() => '');
	const refused = page
		.getByTestId('upload-errors')
		.waitFor()
		.then(() => page.getByTestId('upload-errors').textContent());
	// Either way the outcome is shown: a refusal's text makes the failure say why.
	expect(await Promise.race([stored, refused])).toBe('');
	await page.close();
	phone = await browser.newContext({
		baseURL: baseUrl,
		locale: 'vi-VN',
		timezoneId: 'Pacific/Kiritimati',
		viewport: { width: 390, height: 844 },
		isMobile: true,
		storageState: await desk.storageState()
	});
}, 240_000);
afterAll(async () => {
	await phone?.close();
	await desk?.close();
	await browser?.close();
});

function watchConsole(page: Page): string[] {
	const errors: string[] = [];
	page.on('console', (m) => {
		if (m.type() === 'error') errors.push(m.text());
	});
	page.on('pageerror', (e) => errors.push(e.message));
	return errors;
}

describe('equipment list, date and month on a phone', () => {
	test.each(['vi', 'en'] as const)('in %s: rendered, typed, kept without a day shift', async (lang) => {
		const page = await phone.newPage();
		const errors = watchConsole(page);
		// The browser really is in another zone than UTC.
		expect(await page.evaluate(() => new Date(2024, 1, 29).getTimezoneOffset())).toBe(-840);
		await page.goto(`/admin/surveys/food/e2e-types.1/preview?lang=${lang}`);
		await page.waitForFunction(() => Boolean((window as unknown as SurveyWindow).__techcapSurvey));
		await page.evaluate(() => {
			const s = (window as unknown as SurveyWindow).__techcapSurvey!;
			s.currentPageNo = s.visiblePages.length - 1;
		});
		const list = page.locator('.sd-question[data-name="e2e_equipment"]');
		await list.waitFor();
		await expect(list.locator('.sd-question__title').first().textContent()).resolves.toContain(
			lang === 'vi' ? 'Thiết bị sản xuất' : 'Production equipment'
		);
		// One row is shown; type into its cells.
		const row = list.locator('tbody tr, .sd-table__row').first();
		await row.locator('input').nth(0).fill('Máy tiện CNC');
		await row.locator('input').nth(1).fill('2015');
		await row.locator('input').nth(1).blur();
		// A decimal typed the way each language writes it is read as that number, in a cell as in a question.
		await row
			.locator('input')
			.nth(2)
			.fill(lang === 'vi' ? '0,35' : '0.35');
		await row.locator('input').nth(2).blur();
		await row.locator('input[type=date]').fill('2024-02-29');
		await row.locator('input[type=date]').blur();
		const date = page.locator('.sd-question[data-name="e2e_audit_date"] input');
		await date.fill('2024-02-29');
		await date.blur();
		const month = page.locator('.sd-question[data-name="e2e_audit_month"] input');
		await month.fill('2024-02');
		await month.blur();
		const data = await page.evaluate(() => (window as unknown as SurveyWindow).__techcapSurvey!.data);
		expect(data.e2e_audit_date).toBe('2024-02-29');
		expect(data.e2e_audit_month).toBe('2024-02');
		expect(data.e2e_equipment).toEqual([
			{ kind: 'Máy tiện CNC', year_made: 2015, value_bn: 0.35, installed: '2024-02-29' }
		]);
		// What the phone produced is what the server's validator accepts and stores, unshifted.
		const checked = validateForSubmit(compileQuestionnaire(JSON.parse(questionnaire())), data);
		expect(checked.problems.filter((p) => p.question.startsWith('e2e_'))).toEqual([]);
		expect(checked.cleaned).toMatchObject({
			e2e_audit_date: '2024-02-29',
			e2e_audit_month: '2024-02',
			e2e_equipment: [{ installed: '2024-02-29' }]
		});
		// The page fits the phone: nothing wider than the screen.
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		expect(overflow).toBeLessThanOrEqual(1);
		expect(errors).toEqual([]);
		await page.close();
	});
});
