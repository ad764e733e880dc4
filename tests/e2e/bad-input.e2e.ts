/**
 * Bad input an administrator can type, walked one by one in chromium against the built server: each
 * gets a clear message in the user's language on the app's own page (never a 500), and nothing
 * half-done is left behind. A tax code with a wrong check digit, one that is not in the register, an
 * e-mail that already has an account, resending a revoked invitation, a campaign closing before it
 * opens, and page numbers that are not page numbers on every paginated list.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, loginAs } from './browser';
import { DEMO_LOGINS } from '../../src/lib/server/demo/accounts';
import { taxCodeChecksumValid } from '../../src/lib/domain/enterprise/taxCode';

const baseUrl = inject('baseUrl');
const admin = DEMO_LOGINS.find((l) => l.role === 'admin')!;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;

beforeAll(async () => {
	browser = await launch();
	ctx = await browser.newContext({
		baseURL: baseUrl,
		locale: 'vi-VN',
		viewport: { width: 1366, height: 800 }
	});
	page = await ctx.newPage();
	await loginAs(page, admin.email, admin.password);
});
afterAll(async () => {
	await ctx?.close();
	await browser?.close();
});

/** A ten-digit tax code, not in the demo register, whose check digit is right or wrong as asked. */
function taxCode(valid: boolean): string {
	for (let i = 0; i < 1000; i++) {
		const code = `09876${String(i).padStart(5, '0')}`;
		if (taxCodeChecksumValid(code) === valid) return code;
	}
	throw new Error('no such code');
}

async function invite(email: string, tax: string | null, role = 'enterprise'): Promise<string> {
	await page.goto('/admin/users');
	await page.fill('#inv-email', email);
	await page.selectOption('#inv-role', role);
	if (tax !== null) await page.fill('#inv-tax', tax);
	await page.getByRole('button', { name: 'Gửi lời mời' }).click();
	const notice = page.getByTestId('users-notice');
	await notice.waitFor();
	return (await notice.textContent()) ?? '';
}

/** Rows of the invitations list for an e-mail, as the page shows them. */
async function invitations(email: string, state = 'all'): Promise<number> {
	await page.goto(`/admin/invitations?state=${state}&q=${encodeURIComponent(email)}`);
	return page.getByTestId('invitation-row').count();
}

describe('bad input gets a clear message (issue 20)', () => {
	test('invitations: wrong check digit, not in the register, e-mail already used — nothing created', async () => {
		const wrong = taxCode(false);
		const text1 = await invite('moi1@example.vn', wrong);
		expect(text1).toContain(`Không có doanh nghiệp nào với mã số thuế ${wrong}`);
		expect(text1).toContain('chữ số kiểm tra');

		const missing = taxCode(true);
		const text2 = await invite('moi2@example.vn', missing);
		expect(text2).toContain(`Không có doanh nghiệp nào với mã số thuế ${missing}`);
		expect(text2).not.toContain('chữ số kiểm tra');

		const text3 = await invite(admin.email, null, 'analyst');
		expect(text3).toContain('Email này đã thuộc về một tài khoản');

		for (const email of ['moi1@example.vn', 'moi2@example.vn']) expect(await invitations(email)).toBe(0);
	});

	test('an invitation found by name, revoked, then resent from a stale page: refused, still revoked', async () => {
		await page.goto('/admin/users?find=cong+ty');
		const use = page.locator('[data-testid=register-found] a').first();
		await Promise.all([page.waitForURL(/pick=/), use.click()]);
		const tax = await page.inputValue('#inv-tax');
		expect(tax).toMatch(/^\d{10}/);
		const email = 'thu-hoi@example.vn';
		await page.fill('#inv-email', email);
		await page.getByRole('button', { name: 'Gửi lời mời' }).click();
		await expect(page.getByTestId('users-notice').textContent()).resolves.toContain(email);

		await page.goto(`/admin/invitations?q=${encodeURIComponent(email)}`);
		const row = page.getByTestId('invitation-row').filter({ hasText: email });
		const id = await row.locator('form[action="?/resend"] input[name=id]').getAttribute('value');
		await Promise.all([page.waitForLoadState('load'), row.getByRole('button', { name: 'Thu hồi' }).click()]);
		await page.getByTestId('revoked').waitFor();
		const stale = await page.evaluate(async (invitationId) => {
			const body = new FormData();
			body.set('id', invitationId);
			const r = await fetch('/admin/invitations?/resend', {
				method: 'POST',
				body,
				headers: { accept: 'text/html' }
			});
			return { status: r.status, text: await r.text() };
		}, id!);
		expect(stale.status).toBe(400);
		expect(stale.text).toContain('Lời mời đã bị thu hồi');
		expect(await invitations(email, 'revoked')).toBe(1);
		expect(await invitations(email, 'pending')).toBe(0);
	});

	test('a campaign closing before it opens is refused and not created', async () => {
		await page.goto('/admin/campaigns');
		const before = await page.locator('a[href^="/admin/campaigns/"]').count();
		await page.selectOption('#sector', 'food');
		await page.fill('#year', String(new Date().getFullYear() + 7));
		await page.fill('#opensAt', '2030-03-10');
		await page.fill('#closesAt', '2030-03-01');
		page.once('dialog', (d) => void d.accept());
		await Promise.all([
			page.waitForLoadState('load'),
			page.getByRole('button', { name: 'Tạo đợt khảo sát' }).click()
		]);
		await expect(page.getByTestId('create-error').textContent()).resolves.toContain('Ngày đóng phải');
		await page.goto('/admin/campaigns');
		expect(await page.locator('a[href^="/admin/campaigns/"]').count()).toBe(before);
	});

	test('page numbers that are not page numbers: 400 with the reason on every list; too far: the last page', async () => {
		await page.goto('/admin/campaigns');
		const href = await page.locator('a[href^="/admin/campaigns/"]').first().getAttribute('href');
		const campaign = href!.split('/').slice(0, 4).join('/');
		const lists = ['/admin/audit', '/admin/mail', '/admin/invitations', campaign, `${campaign}/invite`];
		for (const path of lists)
			for (const bad of ['1e309', '-1', 'abc', '1.5']) {
				const r = await page.goto(`${path}?page=${encodeURIComponent(bad)}`);
				expect(r?.status(), `${path}?page=${bad}`).toBe(400);
				const body = (await page.locator('main, body').first().textContent()) ?? '';
				expect(body, `${path}?page=${bad}`).toContain(`Tham số "page" = "${bad}" không hợp lệ`);
				expect(await page.locator('#main-nav').count()).toBe(1);
			}
		for (const path of ['/admin/audit', `${campaign}/invite`]) {
			const r = await page.goto(`${path}?page=99999`);
			expect(r?.status(), path).toBe(200);
			expect(new URL(page.url()).searchParams.get('page'), path).toMatch(/^\d+$/);
			expect(Number(new URL(page.url()).searchParams.get('page'))).toBeLessThan(99999);
		}
	});
});
