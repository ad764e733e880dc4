/**
 * Issue 4's journey in chromium with the Vietnamese UI: an admin invites an enterprise from the
 * register, the enterprise accepts the link and answers part of the questionnaire, comes back in a
 * fresh browser and finds every answer on the same page, finishes, submits and reads its scorecard.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, loginAs, newContext } from './browser';
import { DEMO_LOGINS } from '../../src/lib/server/demo/accounts';
import { generateResponses } from '../../src/lib/domain/generator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './server';

const baseUrl = inject('baseUrl');
const admin = DEMO_LOGINS.find((l) => l.role === 'admin')!;
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

type SurveyWindow = {
	__techcapSurvey?: {
		currentPageNo: number;
		setValue(n: string, v: unknown): void;
		data: Record<string, unknown>;
	};
};

async function surveyReady(page: Page) {
	await page.waitForFunction(() => Boolean((window as unknown as SurveyWindow).__techcapSurvey));
	await page.waitForSelector('.sd-root-modern');
}

describe('enterprise self-assessment journey', () => {
	test('invite → accept → answer → resume elsewhere → submit → scorecard → PDF', async () => {
		// 1. The admin invites an enterprise of the register to the current mechanical campaign.
		const adminCtx = await newContext(browser, baseUrl);
		const adminPage = await adminCtx.newPage();
		await loginAs(adminPage, admin.email, admin.password);
		await adminPage.goto('/admin/campaigns');
		const year = new Date().getFullYear();
		await adminPage.getByRole('link', { name: `Khảo sát Cơ khí chế tạo năm ${year}` }).click();
		const enterpriseLabel = (await adminPage.locator('.pick label').first().textContent())!.trim();
		await adminPage.locator('.pick input[type=checkbox]').first().check();
		await adminPage.getByRole('button', { name: 'Mời các doanh nghiệp đã chọn' }).click();
		const link = (await adminPage.getByTestId('campaign-invite-link').first().textContent())!.trim();
		expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{22,}$/);
		await adminCtx.close();

		// 2. The enterprise opens the link, sets a password and lands on its dashboard.
		const ctx1 = await newContext(browser, baseUrl);
		const page = await ctx1.newPage();
		await page.goto(new URL(link).pathname);
		await expect(page.locator('h1').textContent()).resolves.toBe('Kích hoạt tài khoản');
		const email = (await page.locator('main p').first().textContent())!
			.match(/\S+@\S+/)![0]
			.replace(/\.$/, '');
		await page.fill('#name', 'Nguyễn Văn Thử');
		await page.fill('#password', 'mat-khau-rat-dai-2026');
		await page.fill('#password2', 'mat-khau-rat-dai-2026');
		await Promise.all([page.waitForURL('**/enterprise'), page.click('button[type=submit]')]);
		await page.getByTestId('open-response').first().click();
		await surveyReady(page);

		// 3. Answer part of the questionnaire through the form: the register prefilled the profile.
		await expect(page.inputValue('.sd-question[data-name="profile_tax_code"] input')).resolves.toMatch(
			/^\d{10}$/
		);
		await page.locator('.sd-question[data-name="profile_equipment_value_bn"] input').fill('12.5');
		await page.locator('.sd-navigation__next-btn').click();
		await page.locator('.sd-question[data-name="t1_equipment_age"] input').fill('6');
		await page.locator('.sd-question[data-name="t1_equipment_age"] input').blur();
		await page.waitForFunction(
			() => document.querySelector('[data-testid=save-state]')?.getAttribute('data-state') === 'saved'
		);
		const answersBefore = await page.evaluate(
			() => (window as unknown as SurveyWindow).__techcapSurvey!.data
		);
		const pageBefore = await page.evaluate(
			() => (window as unknown as SurveyWindow).__techcapSurvey!.currentPageNo
		);
		expect(pageBefore).toBe(1);
		await ctx1.close();

		// 4. A new browser context (another device): log in and resume on the same page, answers intact.
		const ctx2 = await newContext(browser, baseUrl);
		const page2 = await ctx2.newPage();
		await loginAs(page2, email, 'mat-khau-rat-dai-2026');
		await page2.goto('/enterprise');
		await expect(page2.getByTestId('response-status').first().textContent()).resolves.toBe('Đang trả lời');
		await page2.getByTestId('open-response').first().click();
		await surveyReady(page2);
		const resumed = await page2.evaluate(() => {
			const s = (window as unknown as SurveyWindow).__techcapSurvey!;
			return { data: s.data, page: s.currentPageNo };
		});
		expect(resumed.page).toBe(1);
		expect(resumed.data).toEqual(answersBefore);
		await expect(page2.inputValue('.sd-question[data-name="t1_equipment_age"] input')).resolves.toBe('6');

		// 5. Finish: the remaining answers come from the generator (a valid enterprise), then submit
		//    with the questionnaire's own Complete button.
		const [filler] = generateResponses({
			questionnaire,
			sector: 'mechanical',
			count: 1,
			seed: 'e2e',
			missingRate: 0
		});
		const keep = new Set(Object.keys(resumed.data));
		const rest = Object.fromEntries(Object.entries(filler.answers).filter(([k]) => !keep.has(k)));
		await page2.evaluate((values) => {
			const s = (window as unknown as SurveyWindow).__techcapSurvey!;
			for (const [k, v] of Object.entries(values)) s.setValue(k, v);
		}, rest);
		// The last page offers a review of every page's answers, then "Hoàn thành".
		for (let i = 0; i < 12; i++) {
			const preview = page2.locator('.sd-navigation__preview-btn');
			if (await preview.isVisible()) break;
			await page2.locator('.sd-navigation__next-btn').click();
		}
		await page2.locator('.sd-navigation__preview-btn').click();
		await page2.locator('.sd-navigation__complete-btn').click();
		// Submitting needs an explicit confirmation, after the server's check and the expected level.
		const review = page2.getByTestId('review');
		await page2.waitForFunction(
			() => document.querySelector('[data-testid=review]')?.getAttribute('data-state') === 'ready'
		);
		await expect(review.getByTestId('review-expected').textContent()).resolves.toMatch(
			/Mức trình độ công nghệ dự kiến: .+ \(\d/
		);
		await page2.screenshot({ path: '/tmp/techcap-shots/review-dialog.png' });
		expect(page2.url()).not.toContain('/scorecard');
		await Promise.all([page2.waitForURL('**/scorecard'), review.getByTestId('review-confirm').click()]);

		// 6. The scorecard: total, level, K, radar with peers (the demo campaign has enough), table.
		await page2.waitForSelector('canvas[data-rendered=true]');
		const total = (await page2.getByTestId('total').textContent())!.trim();
		const level = (await page2.getByTestId('level').textContent())!.trim();
		expect(Number(total)).toBeGreaterThan(0);
		expect(['Lạc hậu', 'Trung bình', 'Trung bình tiên tiến', 'Tiên tiến', 'Hiện đại']).toContain(level);
		expect(await page2.getByTestId('group-table').textContent()).toContain('Trung vị ngành');
		expect(await page2.getByTestId('improvements').locator('li').count()).toBeGreaterThanOrEqual(3);
		expect(await page2.getByTestId('enterprise-name').textContent()).toBe(
			enterpriseLabel.split(' (')[0].trim()
		);

		// Its answers can be downloaded: CSV for Vietnamese Excel, titles and texts in Vietnamese.
		const csvHref = (await page2.getByTestId('answers-csv').getAttribute('href'))!;
		const csv = await page2.request.get(csvHref);
		expect(csv.status()).toBe(200);
		const csvText = await csv.text();
		expect(csvText.split('\r\n')[0]).toBe('\uFEFFTrang;Mã câu hỏi;Câu hỏi;Trả lời');
		expect(csvText).toContain('profile_tax_code');
		expect(csvText).toContain('Năm thành lập');

		// 7. page.pdf() of the scorecard contains the scores.
		const pdf = await page2.pdf({ format: 'A4', printBackground: true });
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
		const text = await pdfText(pdf);
		expect(text).toContain(total);
		// Issue 18: the scorecard prints on at most two A4 pages.
		const { spawnSync } = await import('node:child_process');
		const { writeFileSync } = await import('node:fs');
		writeFileSync('/tmp/techcap-shots/scorecard.pdf', pdf);
		const info = spawnSync('pdfinfo', ['-'], { input: pdf });
		const pages = Number(/Pages:\s+(\d+)/.exec(info.stdout.toString())?.[1]);
		expect(pages).toBeGreaterThan(0);
		expect(pages).toBeLessThanOrEqual(2);
		await ctx2.close();
	});
});

/** Text of a PDF via poppler's pdftotext when present, else the raw bytes (uncompressed text). */
async function pdfText(pdf: Buffer): Promise<string> {
	const { spawnSync } = await import('node:child_process');
	const r = spawnSync('pdftotext', ['-', '-'], { input: pdf });
	if (r.status === 0) return r.stdout.toString('utf8');
	throw new Error(
		'pdftotext (poppler-utils) is needed to read the scorecard PDF: apt-get install -y poppler-utils'
	);
}
