/**
 * An enterprise's answers in chromium: text a numeric field cannot store (`1,2,3`) is still in the
 * field, with its message, after a reload and is never saved as a number; the answers page prints
 * to PDF (all pages, titles and choice texts, numbers written the Vietnamese way) and is refused to
 * other roles and other ids.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, loginAs } from './browser';
import { DEMO_LOGINS } from '../../src/lib/server/demo/accounts';

const baseUrl = inject('baseUrl');
const enterprise = DEMO_LOGINS.find((l) => l.role === 'enterprise')!;
const analyst = DEMO_LOGINS.find((l) => l.role === 'analyst')!;
const SHOTS = process.env.TECHCAP_SHOTS ?? '/tmp/techcap-shots';
let browser: Browser;
let ctx: BrowserContext;
let page: Page;

type SurveyWindow = { __techcapSurvey?: { data: Record<string, unknown>; currentPageNo: number } };

beforeAll(async () => {
	browser = await launch();
	mkdirSync(SHOTS, { recursive: true });
	ctx = await browser.newContext({
		baseURL: baseUrl,
		locale: 'vi-VN',
		viewport: { width: 1280, height: 900 }
	});
	await ctx.addCookies([{ name: 'techcap_locale', value: 'vi', url: baseUrl }]);
	page = await ctx.newPage();
	await loginAs(page, enterprise.email, enterprise.password);
});
afterAll(async () => {
	await browser?.close();
});

const input = (name: string) => page.locator(`.sd-question[data-name="${name}"] input`);
const question = (name: string) => page.locator(`.sd-question[data-name="${name}"]`);

async function surveyReady() {
	await page.waitForFunction(() => Boolean((window as unknown as SurveyWindow).__techcapSurvey));
	await page.evaluate(() => {
		(window as unknown as SurveyWindow).__techcapSurvey!.currentPageNo = 0;
	});
	await page.waitForSelector('.sd-question[data-name="profile_employees"] .tc-number-input');
}

async function type(name: string, text: string) {
	const box = input(name);
	await box.click();
	await box.press('Control+a');
	await box.press('Delete');
	await box.pressSequentially(text);
	await box.press('Tab');
}

async function saved() {
	await page.waitForFunction(
		() => document.querySelector('[data-testid=save-state]')?.getAttribute('data-state') === 'saved'
	);
}

const stored = () => page.evaluate(() => (window as unknown as SurveyWindow).__techcapSurvey!.data);

let responsePath = '';

describe('unreadable numeric text', () => {
	test('stays in the field with its message across a reload, and is never saved', async () => {
		await page.goto('/enterprise');
		await page.getByTestId('open-response').first().click();
		await surveyReady();
		responsePath = new URL(page.url()).pathname;
		await type('profile_founded_year', '2001');
		await saved();
		await type('profile_employees', '1,2,3');
		await expect(question('profile_employees').textContent()).resolves.toContain('(Chưa lưu.)');
		await type('profile_revenue_bn', 'abc');
		await expect(question('profile_revenue_bn').textContent()).resolves.toContain('Chỉ nhập chữ số');
		// The register's prefilled numbers were saved with the first answer: clearing them is saved too.
		await saved();
		const before = await stored();
		expect(before.profile_employees).toBeUndefined();
		expect(before.profile_revenue_bn).toBeUndefined();

		await page.reload();
		await surveyReady();
		await expect.poll(() => input('profile_employees').inputValue()).toBe('1,2,3');
		await expect.poll(() => input('profile_revenue_bn').inputValue()).toBe('abc');
		await expect.poll(() => question('profile_employees').textContent()).toContain('(Chưa lưu.)');
		await expect.poll(() => question('profile_revenue_bn').textContent()).toContain('Chỉ nhập chữ số');
		const after = await stored();
		expect(after.profile_employees).toBeUndefined();
		expect(after.profile_revenue_bn).toBeUndefined();
		expect(after.profile_founded_year).toBe(2001);
		await page.screenshot({ path: `${SHOTS}/held-text-after-reload.png` });

		// Corrected: stored as a number, and nothing is held any more.
		await type('profile_employees', '45');
		await type('profile_revenue_bn', '12,5');
		await saved();
		await page.reload();
		await surveyReady();
		await expect(input('profile_employees').inputValue()).resolves.toBe('45');
		await expect(input('profile_revenue_bn').inputValue()).resolves.toBe('12,5');
		expect(await stored()).toMatchObject({ profile_employees: 45, profile_revenue_bn: 12.5 });
		const held = await page.evaluate(() =>
			Object.keys(localStorage).filter((k) => k.startsWith('techcap:held:'))
		);
		expect(held).toEqual([]);
	});
});

describe('answers page for paper', () => {
	test('every answered question with its title, choice texts and Vietnamese numbers; prints to PDF', async () => {
		expect(responsePath).toMatch(/^\/enterprise\/responses\/[^/]+$/);
		const r = await page.goto(`${responsePath}/answers`);
		expect(r?.status()).toBe(200);
		const rows = page.getByTestId('answer-row');
		expect(await rows.count()).toBeGreaterThanOrEqual(3);
		const cell = (code: string) => page.locator(`[data-testid=answer-row][data-code="${code}"] td`);
		await expect(cell('profile_employees').textContent()).resolves.toBe('45');
		await expect(cell('profile_revenue_bn').textContent()).resolves.toBe('12,5');
		const ownership = page.locator('[data-testid=answer-row][data-code="profile_ownership"] td');
		if (await ownership.count())
			expect(['state', 'private', 'fdi']).not.toContain(await ownership.textContent());
		await expect(page.getByTestId('answers-draft').textContent()).resolves.toContain('chưa nộp');

		await page.emulateMedia({ media: 'print' });
		const pdf = await page.pdf({ format: 'A4', printBackground: true });
		await page.emulateMedia({ media: 'screen' });
		writeFileSync(`${SHOTS}/answers.pdf`, pdf);
		const info = spawnSync('pdfinfo', ['-'], { input: pdf });
		const pages = Number(/Pages:\s+(\d+)/.exec(info.stdout.toString())?.[1]);
		expect(pages).toBeGreaterThanOrEqual(1);
		expect(pages).toBeLessThanOrEqual(2);
		const text = spawnSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).stdout.toString('utf8');
		expect(text).toContain('Câu trả lời của doanh nghiệp');
		expect(text).toContain('Số lao động');
		expect(text).toContain('12,5');
		// The site's navigation and the buttons are not printed.
		expect(text).not.toContain('In / lưu PDF');
		expect(text).not.toContain('Đăng xuất');
	});

	test('on a phone nothing overflows sideways', async () => {
		const phone = await browser.newContext({
			baseURL: baseUrl,
			storageState: await ctx.storageState(),
			viewport: { width: 390, height: 844 },
			isMobile: true,
			hasTouch: true
		});
		const p = await phone.newPage();
		await p.goto(`${responsePath}/answers`);
		await p.screenshot({ path: `${SHOTS}/answers-phone.png`, fullPage: true });
		const width = await p.evaluate(() => document.documentElement.scrollWidth);
		expect(width).toBeLessThanOrEqual(390);
		await phone.close();
	});

	test('refused for another id and for other roles', async () => {
		expect((await page.goto('/enterprise/responses/not-a-response/answers'))?.status()).toBe(404);
		const other = await browser.newContext({ baseURL: baseUrl });
		const p = await other.newPage();
		await loginAs(p, analyst.email, analyst.password);
		expect((await p.goto(`${responsePath}/answers`))?.status()).toBe(403);
		await other.close();
		const anonymous = await browser.newContext({ baseURL: baseUrl });
		const a = await anonymous.newPage();
		await a.goto(`${responsePath}/answers`);
		expect(new URL(a.url()).pathname).toBe('/login');
		await anonymous.close();
	});
});
