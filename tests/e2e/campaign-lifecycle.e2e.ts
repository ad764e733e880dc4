/**
 * Issue 20 in chromium: a running campaign becomes a release without dead ends, dates read the same
 * whatever the browser's zone, and a refused page keeps the app's layout in the user's language.
 * The admin creates a campaign (version chosen, confirmation, straight to the new campaign); the
 * analyst, in a UTC browser, closes it now from tracking (with a reason) and is told plainly that a
 * campaign without submissions has nothing to publish. A release takes two hands: the analyst builds
 * a draft, inspects it and submits it (and cannot publish it); the admin publishes it; only then do
 * readers and the public API see it.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { launch, loginAs } from './browser';
import { DEMO_LOGINS } from '../../src/lib/server/demo/accounts';

const baseUrl = inject('baseUrl');
const admin = DEMO_LOGINS.find((l) => l.role === 'admin')!;
const analyst = DEMO_LOGINS.find((l) => l.role === 'analyst')!;
const DAY = 86_400_000;
/** A calendar date in the department's zone (Asia/Ho_Chi_Minh, UTC+7, no DST). */
const ymd = (d: Date) => new Date(+d + 7 * 3_600_000).toISOString().slice(0, 10);
const dmy = (s: string) => s.split('-').reverse().join('/');
let browser: Browser;

beforeAll(async () => {
	browser = await launch();
});
afterAll(async () => {
	await browser?.close();
});

function context(timezoneId: string, mobile = false): Promise<BrowserContext> {
	return browser.newContext({
		baseURL: baseUrl,
		locale: 'vi-VN',
		timezoneId,
		viewport: mobile ? { width: 390, height: 844 } : { width: 1366, height: 800 },
		isMobile: mobile
	});
}

describe('campaign lifecycle', () => {
	test('a refused page is the styled error page with navigation, in the user language', async () => {
		const ctx = await context('UTC', true);
		const page = await ctx.newPage();
		await loginAs(page, analyst.email, analyst.password);
		const r = await page.goto('/admin/users');
		expect(r?.status()).toBe(403);
		await expect(page.locator('body').textContent()).resolves.toContain(
			'Bạn không có quyền truy cập trang này'
		);
		expect(await page.locator('#main-nav').count()).toBe(1);
		// The stylesheet applies (the header has its border): not a bare page.
		const border = await page.evaluate(
			() => getComputedStyle(document.querySelector('header.site')!).borderBottomStyle
		);
		expect(border).toBe('solid');
		await ctx.close();
	});

	test('create → same dates in UTC and in Hanoi → analyst closes now → nothing to release yet', async () => {
		const year = new Date().getFullYear() + 4;
		const opens = ymd(new Date(Date.now() - DAY));
		const closes = ymd(new Date(Date.now() + 10 * DAY));
		const adminCtx = await context('UTC');
		const adminPage = await adminCtx.newPage();
		await loginAs(adminPage, admin.email, admin.password);
		await adminPage.goto('/admin/campaigns');
		await adminPage.selectOption('#sector', 'food');
		expect(await adminPage.locator('#surveyId option').count()).toBeGreaterThan(0);
		await adminPage.fill('#year', String(year));
		await adminPage.fill('#opensAt', opens);
		await adminPage.fill('#closesAt', closes);
		let asked = '';
		adminPage.once('dialog', (d) => {
			asked = d.message();
			void d.accept();
		});
		await Promise.all([
			adminPage.waitForURL(/\/admin\/campaigns\/[^/?]+\?created=1$/),
			adminPage.getByRole('button', { name: 'Tạo đợt khảo sát' }).click()
		]);
		expect(asked).toContain(dmy(opens));
		expect(adminPage.url()).not.toContain('?/create');
		await adminPage.getByTestId('created').waitFor();
		const path = new URL(adminPage.url()).pathname;
		const shown = (await adminPage.getByTestId('campaign-dates').textContent())!.trim();
		expect(shown).toBe(`${dmy(opens)} – ${dmy(closes)}`);
		expect(await adminPage.getByTestId('phase').textContent()).toBe('Đang mở');

		// The same page in a browser in Hanoi reads the same dates.
		const hanoi = await browser.newContext({
			baseURL: baseUrl,
			locale: 'vi-VN',
			timezoneId: 'Asia/Ho_Chi_Minh',
			storageState: await adminCtx.storageState()
		});
		const hanoiPage = await hanoi.newPage();
		await hanoiPage.goto(path);
		expect((await hanoiPage.getByTestId('campaign-dates').textContent())!.trim()).toBe(shown);
		await hanoi.close();
		await adminCtx.close();

		// The analyst (UTC browser, phone) closes it now from tracking, with a reason.
		const ctx = await context('UTC', true);
		const page = await ctx.newPage();
		await loginAs(page, analyst.email, analyst.password);
		const tracking = await page.goto(`${path}/tracking`);
		expect(tracking?.status()).toBe(200);
		await page.fill('#close-reason', 'Đủ số phiếu cho báo cáo');
		page.once('dialog', (d) => void d.accept());
		await page.getByRole('button', { name: 'Đóng ngay' }).click();
		await page.getByText('Đã đóng đợt khảo sát.').waitFor();
		expect(await page.getByTestId('phase').textContent()).toBe('Đã đóng');

		// …and may publish it from the releases page: this one has no submission yet, which the page
		// says plainly (a campaign with submissions is published by an analyst in the unit tests).
		await page.goto('/analyst#publish');
		const form = page.locator('[data-testid=publish] form').filter({ hasText: String(year) });
		await Promise.all([page.waitForLoadState('load'), form.getByRole('button').click()]);
		expect(new URL(page.url()).pathname).toBe('/analyst');
		await expect(page.locator('.notice.error').first().textContent()).resolves.toContain(
			'chưa có phiếu nào được nộp'
		);
		await ctx.close();
	});

	test('analyst builds a draft → inspects → submits (cannot publish) → admin publishes → public', async () => {
		const ctx = await context('UTC', true);
		const page = await ctx.newPage();
		await loginAs(page, analyst.email, analyst.password);
		await page.goto('/analyst#publish');
		// The oldest published campaign: a new version of it has the same rows, so other journeys
		// reading the latest figures see the same aggregates.
		const forms = page.locator('[data-testid=publish] form').filter({ hasText: 'Đã công bố' });
		expect(await forms.count()).toBeGreaterThan(0);
		await Promise.all([
			page.waitForURL(/\/analyst\/releases\/[^/]+\/review\?done=draft$/),
			forms.last().getByRole('button', { name: 'Tạo bản nháp' }).click()
		]);
		const reviewPath = new URL(page.url()).pathname;
		const releaseId = reviewPath.split('/')[3];
		expect(await page.getByTestId('release-status').textContent()).toBe('Bản nháp');
		expect(await page.getByTestId('done').textContent()).toContain('Đã tạo bản nháp');
		// The disclosure report and the protected tables as they would be published.
		expect(await page.locator('[data-testid=disclosure-report] tbody tr').count()).toBeGreaterThan(3);
		await expect(page.getByTestId('protected-size').textContent()).resolves.toContain('Toàn ngành');
		// Nothing of a draft is public.
		expect((await page.request.get(`/api/v1/releases/${releaseId}`)).status()).toBe(404);
		expect(await (await page.request.get('/api/v1/releases')).text()).not.toContain(releaseId);
		// Fits a phone: the page does not scroll sideways.
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

		await Promise.all([page.waitForURL(/\?done=submitted$/), page.getByTestId('submit-release').click()]);
		expect(await page.getByTestId('release-status').textContent()).toBe('Chờ công bố');
		expect(await page.getByTestId('publish-release').count()).toBe(0);
		// Posting the publish action anyway (a plain browser form post) is refused and changes nothing.
		const refused = await page.evaluate(async (path) => {
			const r = await fetch(`${path}?/publish`, {
				method: 'POST',
				body: new FormData(),
				headers: { accept: 'text/html' }
			});
			return { status: r.status, text: await r.text() };
		}, reviewPath);
		expect(refused.status).toBe(403);
		expect(refused.text).toContain('Chỉ quản trị viên hoặc người được giao quyền công bố');
		await page.reload();
		expect(await page.getByTestId('release-status').textContent()).toBe('Chờ công bố');
		await ctx.close();

		const adminCtx = await context('Asia/Ho_Chi_Minh');
		const adminPage = await adminCtx.newPage();
		await loginAs(adminPage, admin.email, admin.password);
		await adminPage.goto('/admin/campaigns');
		await Promise.all([
			adminPage.waitForURL('**/admin/releases'),
			adminPage.getByTestId('releases-waiting').click()
		]);
		await Promise.all([
			adminPage.waitForURL(`**${reviewPath}`),
			adminPage.locator(`[data-testid=admin-pending-releases] a[href="${reviewPath}"]`).click()
		]);
		adminPage.once('dialog', (d) => void d.accept());
		await Promise.all([
			adminPage.waitForURL(/\?done=published$/),
			adminPage.getByTestId('publish-release').click()
		]);
		expect(await adminPage.getByTestId('release-status').textContent()).toBe('Đã công bố');
		const api = await adminPage.request.get(`/api/v1/releases/${releaseId}`);
		expect(api.status()).toBe(200);
		expect(await (await adminPage.request.get('/api/v1/releases')).text()).toContain(releaseId);
		await Promise.all([
			adminPage.waitForURL(`**/analyst/releases/${releaseId}`),
			adminPage.getByTestId('published-link').click()
		]);
		await adminPage.getByTestId('release-metadata').waitFor();
		await adminCtx.close();
	});
});
