/**
 * Issue 18: numbers typed the way the form's language writes them. Real keystrokes in chromium,
 * under a Vietnamese and an English browser locale (each in a time zone other than the server's),
 * with the form in Vietnamese and in English; what was stored is read back after a reload.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, loginAs } from './browser';
import { DEMO_LOGINS } from '../../src/lib/server/demo/accounts';

const baseUrl = inject('baseUrl');
const enterprise = DEMO_LOGINS.find((l) => l.role === 'enterprise')!;
const SHOTS = process.env.TECHCAP_SHOTS ?? '/tmp/techcap-shots';
let browser: Browser;
/** One login for the whole file (logins are throttled); each context starts from its cookies. */
let session: Awaited<ReturnType<BrowserContext['storageState']>>;

beforeAll(async () => {
	browser = await launch();
	mkdirSync(SHOTS, { recursive: true });
	const ctx = await browser.newContext({ baseURL: baseUrl });
	const page = await ctx.newPage();
	await loginAs(page, enterprise.email, enterprise.password);
	session = await ctx.storageState();
	await ctx.close();
});
afterAll(async () => {
	await browser?.close();
});

type SurveyWindow = { __techcapSurvey?: { data: Record<string, unknown> } };
type SurveyLike = {
	setValue(name: string, value: unknown): void;
	getPageByName(name: string): unknown;
	currentPage: unknown;
};
const ITEMS = ['patents', 'utility_solutions', 'industrial_designs', 'trademarks'];

async function open(
	browserLocale: string,
	timezoneId: string,
	lang: 'vi' | 'en',
	mobile = false
): Promise<{ ctx: BrowserContext; page: Page }> {
	const ctx = await browser.newContext({
		baseURL: baseUrl,
		locale: browserLocale,
		timezoneId,
		viewport: mobile ? { width: 390, height: 844 } : { width: 1280, height: 900 },
		isMobile: mobile,
		hasTouch: mobile,
		storageState: session
	});
	await ctx.addCookies([{ name: 'techcap_locale', value: lang, url: baseUrl }]);
	const page = await ctx.newPage();
	await page.goto('/enterprise');
	await page.getByTestId('open-response').first().click();
	await surveyReady(page);
	// Start on the first page whatever page an earlier test stopped on.
	await page.evaluate(() => {
		(window as unknown as { __techcapSurvey: { currentPageNo: number } }).__techcapSurvey.currentPageNo = 0;
	});
	await page.waitForSelector('.sd-question[data-name="profile_employees"] .tc-number-input');
	return { ctx, page };
}

async function surveyReady(page: Page) {
	await page.waitForFunction(() => Boolean((window as unknown as SurveyWindow).__techcapSurvey));
	await page.waitForSelector('.tc-number-input');
}

const input = (page: Page, name: string) => page.locator(`.sd-question[data-name="${name}"] input`);
const question = (page: Page, name: string) => page.locator(`.sd-question[data-name="${name}"]`);

/** Clear the field, type `text` key by key, leave the field with Tab. */
async function type(page: Page, name: string, text: string) {
	const box = input(page, name);
	await box.click();
	await box.press('Control+a');
	await box.press('Delete');
	await box.pressSequentially(text);
	await box.press('Tab');
}

async function saved(page: Page) {
	await page.waitForFunction(
		() => document.querySelector('[data-testid=save-state]')?.getAttribute('data-state') === 'saved'
	);
}

async function stored(page: Page): Promise<Record<string, unknown>> {
	return page.evaluate(() => (window as unknown as SurveyWindow).__techcapSurvey!.data);
}

const CASES = {
	vi: {
		decimal: '3,5',
		tooBig: ['1.250.000', '1 250 000'],
		grouped: '250 000,5',
		groupedShown: '250.000,5',
		ambiguous: '1.250',
		otherWay: '1.5',
		rangeMessage: 'Vui lòng nhập một số từ 0 đến 1000000.',
		notSaved: '(Chưa lưu.)',
		letters: 'Chỉ nhập chữ số',
		decimalShown: '3,5',
		echo: 'Đã hiểu là 1,5',
		lastYear: 'câu trả lời năm trước'
	},
	en: {
		decimal: '3.5',
		tooBig: ['1,250,000', '1 250 000'],
		grouped: '250,000.5',
		groupedShown: '250,000.5',
		ambiguous: '1,250',
		otherWay: '1,5',
		rangeMessage: 'Enter a number from 0 to 1000000.',
		notSaved: '(Not saved.)',
		letters: 'Use digits only',
		decimalShown: '3.5',
		echo: 'Read as 1.5',
		lastYear: "last year's answer"
	}
} as const;

describe.each([
	['vi-VN', 'America/New_York'],
	['en-US', 'Asia/Ho_Chi_Minh']
])('browser locale %s (%s)', (browserLocale, timezoneId) => {
	test.each(['vi', 'en'] as const)('form in %s: typed numbers are stored as read', async (lang) => {
		const c = CASES[lang];
		const { ctx, page } = await open(browserLocale, timezoneId, lang);

		await type(page, 'profile_equipment_value_bn', c.decimal);
		await expect(input(page, 'profile_equipment_value_bn').inputValue()).resolves.toBe(c.decimalShown);

		// Over the question's maximum: refused with the questionnaire's message, the text kept.
		for (const big of c.tooBig) {
			await type(page, 'profile_revenue_bn', big);
			const q = question(page, 'profile_revenue_bn');
			await expect(q.locator('.sd-question__erbox').first().textContent()).resolves.toContain(c.rangeMessage);
			await expect(q.textContent()).resolves.toContain(c.notSaved);
			await expect(input(page, 'profile_revenue_bn').inputValue()).resolves.toBe(big);
			await expect(
				page.evaluate(() => (window as unknown as SurveyWindow).__techcapSurvey!.data.profile_revenue_bn)
			).resolves.toBeUndefined();
		}
		await type(page, 'profile_revenue_bn', c.grouped);
		await expect(input(page, 'profile_revenue_bn').inputValue()).resolves.toBe(c.groupedShown);
		// Far more than the demo enterprise's revenue last year: a soft warning, saved all the same.
		await expect(
			question(page, 'profile_revenue_bn').locator('.tc-number-advice').textContent()
		).resolves.toContain(c.lastYear);

		// Letters: refused, not stored; then a proper year.
		await type(page, 'profile_founded_year', 'abc');
		await expect(question(page, 'profile_founded_year').textContent()).resolves.toContain(c.letters);
		await expect(input(page, 'profile_founded_year').inputValue()).resolves.toBe('abc');
		await type(page, 'profile_founded_year', '2010');

		// Ambiguous: nothing stored until a reading is chosen.
		await type(page, 'profile_employees', c.ambiguous);
		const choices = question(page, 'profile_employees').locator('.tc-number-choice');
		await expect(choices.count()).resolves.toBe(2);
		await expect(
			page.evaluate(() => (window as unknown as SurveyWindow).__techcapSurvey!.data.profile_employees)
		).resolves.toBeUndefined();
		await choices.first().click();

		await saved(page);
		await page.reload();
		await surveyReady(page);
		const data = await stored(page);
		expect(data.profile_equipment_value_bn).toBe(3.5);
		expect(data.profile_revenue_bn).toBe(250_000.5);
		expect(data.profile_founded_year).toBe(2010);
		expect(data.profile_employees).toBe(1250);
		await expect(input(page, 'profile_equipment_value_bn').inputValue()).resolves.toBe(c.decimalShown);
		await expect(input(page, 'profile_revenue_bn').inputValue()).resolves.toBe(c.groupedShown);

		// The other language's way of writing is read, echoed, and stored.
		await type(page, 'profile_equipment_value_bn', c.otherWay);
		await expect(
			question(page, 'profile_equipment_value_bn').locator('.tc-number-note').textContent()
		).resolves.toContain(c.echo);
		await saved(page);
		await page.reload();
		await surveyReady(page);
		expect((await stored(page)).profile_equipment_value_bn).toBe(1.5);
		await ctx.close();
	});
});

test('multiple-text items read numbers the same way, and refuse letters next to the item', async () => {
	const { ctx, page } = await open('vi-VN', 'Asia/Ho_Chi_Minh', 'vi');
	await page.evaluate(() => {
		const s = (window as unknown as { __techcapSurvey: SurveyLike }).__techcapSurvey;
		s.setValue('i25_has_ip', true);
		s.currentPage = s.getPageByName('page_innovation');
	});
	const item = (name: string) =>
		page.locator(`.sd-question[data-name="i25_ip"] .tc-number-input`).nth(ITEMS.indexOf(name));
	await item('patents').click();
	await item('patents').pressSequentially('1.250');
	await item('patents').press('Tab');
	// Ambiguous in an item too: asked, nothing stored.
	const choices = page.locator('.sd-question[data-name="i25_ip"] .tc-number-choice');
	await expect(choices.count()).resolves.toBe(2);
	await item('patents').click();
	await item('patents').press('Control+a');
	await item('patents').pressSequentially('3');
	await item('patents').press('Tab');
	await item('trademarks').click();
	await item('trademarks').pressSequentially('abc');
	await item('trademarks').press('Tab');
	await page.waitForFunction(() =>
		document.querySelector('.sd-question[data-name="i25_ip"]')?.textContent?.includes('Chỉ nhập chữ số')
	);
	// Items not reached yet are not flagged "required" by the check of the items typed in.
	await expect(page.locator('.sd-question[data-name="i25_ip"]').textContent()).resolves.not.toContain(
		'Vui lòng trả lời'
	);
	await saved(page);
	const ip = (await stored(page)).i25_ip as Record<string, unknown>;
	expect(ip.patents).toBe(3);
	expect(ip.trademarks).toBeUndefined();
	await expect(item('trademarks').inputValue()).resolves.toBe('abc');
	await ctx.close();
});

test('phone layout (390×844): choices fit, the save state stays in view, nothing covers the Menu', async () => {
	const { ctx, page } = await open('vi-VN', 'Asia/Ho_Chi_Minh', 'vi', true);
	await type(page, 'profile_employees', '1.250');
	await question(page, 'profile_employees').scrollIntoViewIfNeeded();
	await page.screenshot({ path: `${SHOTS}/numbers-phone-ambiguous.png` });
	await type(page, 'profile_revenue_bn', '1.250.000');
	await question(page, 'profile_revenue_bn').scrollIntoViewIfNeeded();
	await page.screenshot({ path: `${SHOTS}/numbers-phone-range.png` });
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	expect(overflow).toBeLessThanOrEqual(0);

	// The save state stays in view while scrolling (sticky); SurveyJS's table-of-contents button
	// does not cover the site's Menu button.
	await type(page, 'profile_revenue_bn', '250.000,5');
	await saved(page);
	await page.mouse.wheel(0, 2500);
	await page.waitForTimeout(300);
	const state = await page.getByTestId('save-state').boundingBox();
	expect(state!.y).toBeGreaterThanOrEqual(0);
	expect(state!.y + state!.height).toBeLessThanOrEqual(844);
	await page.screenshot({ path: `${SHOTS}/numbers-phone-scrolled.png` });
	await page.evaluate(() => window.scrollTo(0, 0));
	await page.waitForTimeout(300);
	const menu = await page.locator('.menu-toggle').boundingBox();
	const toc = await page.locator('.sv_progress-toc--mobile').boundingBox();
	if (menu && toc) {
		const overlap =
			menu.x < toc.x + toc.width &&
			toc.x < menu.x + menu.width &&
			menu.y < toc.y + toc.height &&
			toc.y < menu.y + menu.height;
		expect(overlap).toBe(false);
	}
	await page.screenshot({ path: `${SHOTS}/numbers-phone-top.png` });
	await ctx.close();
});
