/**
 * Every shipped questionnaire renders in chromium and can be completed, in Vietnamese and in
 * English, through the admin preview (nothing is saved). A few answers go through the real form,
 * the rest come from the synthetic-response generator via the live SurveyJS model; navigation uses
 * the real Next and Complete buttons. Also: the admin upload lists a broken rubric's errors.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { launch, loginAs, newContext } from './browser';
import { ROOT } from './server';
import { DEMO_LOGINS } from '../../src/lib/server/demo/accounts';
import { generateResponses } from '../../src/lib/domain/generator';

const baseUrl = inject('baseUrl');
const admin = DEMO_LOGINS.find((l) => l.role === 'admin')!;

type Text = string | { default: string; vi?: string };
interface Page0 {
	name: string;
	title: Text;
	elements: Array<{ name: string; type: string; title?: Text }>;
}
interface Questionnaire {
	title: Text;
	pages: Page0[];
	completedHtml: Text;
}

/** Every shipped `<sector>/<version>` (read from the folder, so a new sector is tested too). */
const shipped = JSON.parse(readFileSync(join(ROOT, 'surveys/sectors.json'), 'utf8')).sectors.flatMap(
	(s: { id: string }) =>
		readdirSync(join(ROOT, 'surveys', s.id))
			.filter((v) => existsSync(join(ROOT, 'surveys', s.id, v, 'questionnaire.json')))
			.map((v) => ({ sector: s.id, version: v }))
) as Array<{ sector: string; version: string }>;

const read = (sector: string, version: string, file: string) =>
	readFileSync(join(ROOT, 'surveys', sector, version, file), 'utf8');
/** SurveyJS localisation: English is the JSON's default text. */
const text = (t: Text | undefined, lang: 'vi' | 'en') =>
	t === undefined ? '' : typeof t === 'string' ? t : lang === 'vi' ? (t.vi ?? t.default) : t.default;
const plain = (html: string) => html.replace(/<[^>]+>/g, '').trim();

type SurveyWindow = {
	__techcapSurvey?: {
		currentPageNo: number;
		currentPage: { name: string };
		setValue(n: string, v: unknown): void;
		data: Record<string, unknown>;
	};
};

let browser: Browser;
let ctx: BrowserContext;

beforeAll(async () => {
	browser = await launch();
	ctx = await newContext(browser, baseUrl);
	const page = await ctx.newPage();
	await loginAs(page, admin.email, admin.password);
	await page.close();
});
afterAll(async () => {
	await ctx?.close();
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

describe('every shipped questionnaire in both languages', () => {
	test('the shipped set is the three sectors', () => {
		expect([...new Set(shipped.map((s) => s.sector))].sort()).toEqual(['food', 'mechanical', 'textiles']);
	});

	const cases = shipped.flatMap((s) => (['vi', 'en'] as const).map((lang) => ({ ...s, lang })));
	test.each(cases)(
		'$sector/$version in $lang renders and can be completed',
		async ({ sector, version, lang }) => {
			const q = JSON.parse(read(sector, version, 'questionnaire.json')) as Questionnaire;
			const page = await ctx.newPage();
			const errors = watchConsole(page);
			await page.goto(`/admin/surveys/${sector}/${version}/preview?lang=${lang}`);
			await page.waitForFunction(() => Boolean((window as unknown as SurveyWindow).__techcapSurvey));
			await page.waitForSelector('.sd-root-modern .sd-page__title');
			await expect(
				page.locator('.sd-title .sd-header__text h3, .sd-title').first().textContent()
			).resolves.toContain(text(q.title, lang));

			// First page: its title and every titled question are in the chosen language.
			const first = q.pages[0];
			expect((await page.locator('.sd-page__title').first().textContent())!.trim()).toBe(
				text(first.title, lang)
			);
			for (const el of first.elements.filter((e) => e.title && e.type !== 'html').slice(0, 6))
				await expect(
					page.locator(`.sd-question[data-name="${el.name}"] .sd-question__title`).first().textContent()
				).resolves.toContain(text(el.title, lang));

			// A few answers through the real form, the rest from the generator.
			const [filler] = generateResponses({
				questionnaire: q,
				sector,
				count: 1,
				seed: `e2e-${lang}`,
				missingRate: 0
			});
			const typed: Record<string, string> = {
				profile_tax_code: String(filler.answers.profile_tax_code),
				profile_name: String(filler.answers.profile_name)
			};
			for (const [name, value] of Object.entries(typed)) {
				const input = page.locator(`.sd-question[data-name="${name}"] input`);
				await input.fill(value);
				await input.blur();
			}
			const afterTyping = await page.evaluate(
				() => (window as unknown as SurveyWindow).__techcapSurvey!.data
			);
			expect(afterTyping).toMatchObject(typed);
			const rest = Object.fromEntries(Object.entries(filler.answers).filter(([k]) => !(k in typed)));
			await page.evaluate((values) => {
				const s = (window as unknown as SurveyWindow).__techcapSurvey!;
				for (const [k, v] of Object.entries(values)) s.setValue(k, v);
			}, rest);

			// Walk every page with the real Next button; each page title is in the chosen language.
			const seen: string[] = [];
			for (let i = 0; i < q.pages.length + 2; i++) {
				const name = await page.evaluate(
					() => (window as unknown as SurveyWindow).__techcapSurvey!.currentPage.name
				);
				seen.push(name);
				const expected = text(q.pages.find((p) => p.name === name)?.title, lang);
				await expect(page.locator('.sd-page__title').first().textContent()).resolves.toBe(expected);
				if (await page.locator('.sd-navigation__complete-btn').isVisible()) break;
				await page.locator('.sd-navigation__next-btn').click();
				await page.waitForFunction(
					(prev) => (window as unknown as SurveyWindow).__techcapSurvey!.currentPage.name !== prev,
					name
				);
			}
			expect(seen[0]).toBe(q.pages[0].name);
			expect(seen.at(-1)).toBe(q.pages.at(-1)!.name);
			await page.locator('.sd-navigation__complete-btn').click();
			await expect(page.locator('.sd-completedpage').textContent()).resolves.toContain(
				plain(text(q.completedHtml, lang))
			);
			expect(errors).toEqual([]);
			await page.close();
		}
	);
});

describe('admin upload', () => {
	test('a broken rubric is rejected with file: path: message errors; a valid one is listed', async () => {
		const page = await ctx.newPage();
		const errors = watchConsole(page);
		const questionnaire = read('food', '2025.1', 'questionnaire.json');
		const rubric = JSON.parse(read('food', '2025.1', 'rubric.json'));
		const broken = structuredClone(rubric);
		broken.version = 'e2e-broken';
		broken.groups[0].max = 25;
		broken.criteria[0].mapping.question = 'no_such_question';
		await page.goto('/admin/surveys/upload');
		const json = (name: string, body: string) => ({
			name,
			mimeType: 'application/json',
			buffer: Buffer.from(body)
		});
		await page.setInputFiles('#questionnaire', json('questionnaire.json', questionnaire));
		await page.setInputFiles('#rubric', json('broken-rubric.json', JSON.stringify(broken)));
		await page.getByRole('button', { name: 'Kiểm tra và lưu' }).click();
		const box = page.getByTestId('upload-errors');
		await box.waitFor();
		// The technical detail keeps file: path: message; the line above it is in the admin's language.
		const shown = await box.getByTestId('issue-detail').allTextContents();
		const summaries = await box.getByTestId('issue-summary').allTextContents();
		expect(summaries).toContain(
			'broken-rubric.json: nhóm: Tổng điểm tối đa của các nhóm là 95, không phải 100.'
		);
		expect(summaries).toContain(
			"broken-rubric.json: tiêu chí thứ 1 › cách tính điểm › câu hỏi: Bảng hỏi không có câu hỏi 'no_such_question'."
		);
		expect(shown).toContain('broken-rubric.json: $.groups: group maxima add up to 95, not 100');
		expect(shown.some((l) => l.startsWith('broken-rubric.json: $.criteria[0].mapping.question:'))).toBe(true);
		expect(await box.locator('p').first().textContent()).toBe(
			`Phiên bản không được lưu vì có ${shown.length} lỗi:`
		);

		// The same files with the errors fixed: stored, listed, and previewable from the database.
		await page.setInputFiles('#questionnaire', json('questionnaire.json', questionnaire));
		await page.setInputFiles('#rubric', json('rubric.json', JSON.stringify({ ...rubric, version: 'e2e.1' })));
		await Promise.all([
			page.waitForURL('**/admin/surveys?created=*'),
			page.getByRole('button', { name: 'Kiểm tra và lưu' }).click()
		]);
		await expect(page.locator('tr[data-version="food/e2e.1"]').textContent()).resolves.toContain(
			'Cơ sở dữ liệu'
		);
		await page.goto('/admin/surveys/food/e2e.1/preview?lang=en');
		await page.waitForSelector('.sd-root-modern .sd-page__title');
		expect((await page.locator('.sd-page__title').first().textContent())!.trim()).toBe('Enterprise profile');
		// The rejected upload is answered with status 422 on purpose; chromium logs that as a failed load.
		expect(errors.filter((e) => !e.includes('status of 422'))).toEqual([]);
		expect(errors.filter((e) => e.includes('status of 422'))).toHaveLength(1);
		await page.close();
	});
});

describe('admin edits and rescoring', () => {
	test('editing a cut-off creates a new version; rescoring a closed campaign with it shows progress to done', async () => {
		const page = await ctx.newPage();
		const errors = watchConsole(page);
		await page.goto('/admin/surveys/food/2025.1/edit');
		await page.getByLabel('Tiên tiến: Tổng điểm tối thiểu', { exact: true }).fill('64');
		await Promise.all([
			page.waitForURL('**/admin/surveys?created=*'),
			page.getByRole('button', { name: 'Lưu thành phiên bản mới' }).click()
		]);
		await expect(page.getByRole('status').textContent()).resolves.toBe('Đã tạo phiên bản food/2025.1-r2.');
		await expect(page.locator('tr[data-version="food/2025.1-r2"]').textContent()).resolves.toContain(
			'food/2025.1'
		);

		await page.goto('/admin/surveys/rescore');
		const year = new Date().getFullYear() - 1;
		const option = page.locator('#campaign option', { hasText: `Khảo sát Chế biến thực phẩm năm ${year}` });
		await page.selectOption('#campaign', (await option.getAttribute('value'))!);
		await page.selectOption('#surveyId', 'food/2025.1-r2');
		await page.getByRole('button', { name: 'Bắt đầu chấm lại' }).click();
		await page.getByRole('status').waitFor();
		const row = page.locator('[data-testid=rescore-jobs] tbody tr').first();
		await expect(row.locator('code').textContent()).resolves.toBe('food/2025.1-r2');
		await page.waitForFunction(
			() =>
				document.querySelector('[data-testid=rescore-jobs] tbody tr')?.getAttribute('data-status') === 'done',
			undefined,
			{ timeout: 60_000 }
		);
		await expect(row.textContent()).resolves.toMatch(/\d+\/\d+ phiếu, \d+ đổi mức, 0 lỗi/);
		expect(errors).toEqual([]);
		await page.close();
	});
});
