/**
 * Issue 9's journey in chromium (Vietnamese UI): an admin creates a campaign, invites 3 enterprises
 * from the register and sees them as invited; one opens its link and starts (→ started) and then
 * submits; the tracking page shows the counts; reminders go only to the 2 that have not submitted
 * (read on the admin mail page, the outbox of the e2e server). Closing: a submit after the closing
 * date is refused with a clear message, and accepted after an extension (API level).
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
	readFileSync(join(ROOT, 'surveys/textiles/2025.1/questionnaire.json'), 'utf8')
);
const DAY = 86_400_000;
const ymd = (d: Date) => new Date(+d + 7 * 3_600_000).toISOString().slice(0, 10);
let browser: Browser;

beforeAll(async () => {
	browser = await launch();
});
afterAll(async () => {
	await browser?.close();
});

async function counts(page: Page) {
	const out: Record<string, number> = {};
	for (const s of ['invited', 'opened', 'started', 'submitted'])
		out[s] = Number(await page.getByTestId(`count-${s}`).textContent());
	return out;
}

describe('campaign operations', () => {
	test('invite 3 → one starts and submits → tracking counts → reminders to the other 2 → closing', async () => {
		const year = new Date().getFullYear() + 1;
		const ctx = await newContext(browser, baseUrl);
		const adminPage = await ctx.newPage();
		await loginAs(adminPage, admin.email, admin.password);

		// 1. A new campaign (its own year, so other journeys' campaigns are untouched).
		await adminPage.goto('/admin/campaigns');
		await adminPage.selectOption('#sector', 'textiles');
		await adminPage.fill('#year', String(year));
		await adminPage.fill('#opensAt', ymd(new Date(Date.now() - DAY)));
		await adminPage.fill('#closesAt', ymd(new Date(Date.now() + 20 * DAY)));
		// Creating asks for confirmation, then goes to the new campaign.
		adminPage.once('dialog', (d) => void d.accept());
		await Promise.all([
			adminPage.waitForURL(/\/admin\/campaigns\/[^/?]+\?created=1$/),
			adminPage.getByRole('button', { name: 'Tạo đợt khảo sát' }).click()
		]);
		await adminPage.getByTestId('created').waitFor();
		const campaignPath = new URL(adminPage.url()).pathname;

		// 2. Bulk invitation: pick 3 from the register, preview the message, send.
		await adminPage.goto(`${campaignPath}/invite`);
		const boxes = adminPage.locator('[data-testid=candidates] input[type=checkbox]');
		for (let i = 0; i < 3; i++) await boxes.nth(i).check();
		await adminPage.getByTestId('preview-invitations').click();
		await expect(adminPage.getByTestId('preview-text').textContent()).resolves.toContain(
			`Dệt may năm ${year}`
		);
		await adminPage.getByTestId('send-invitations').click();
		await adminPage.getByTestId('invite-sent').waitFor();
		const links = await adminPage.getByTestId('campaign-invite-link').allTextContents();
		expect(links).toHaveLength(3);

		await adminPage.goto(`${campaignPath}/tracking`);
		expect(await counts(adminPage)).toEqual({ invited: 3, opened: 0, started: 0, submitted: 0 });
		expect(await adminPage.getByTestId('late-row').count()).toBe(3);

		// 3. One enterprise opens its link, creates its account, starts answering, then submits.
		const eCtx = await newContext(browser, baseUrl);
		const page = await eCtx.newPage();
		await page.goto(new URL(links[0].trim()).pathname);
		await page.fill('#name', 'Trần Thị Dệt');
		await page.fill('#password', 'mat-khau-det-may-2026');
		await page.fill('#password2', 'mat-khau-det-may-2026');
		await Promise.all([page.waitForURL('**/enterprise'), page.click('button[type=submit]')]);
		const item = page.getByTestId('campaign-item').filter({ hasText: `năm ${year}` });
		const href = await item.getByTestId('open-response').getAttribute('href');
		const responseId = href!.split('/').pop()!;
		const save = await page.evaluate(
			async (id) =>
				(
					await fetch(`/api/v1/responses/${id}`, {
						method: 'PUT',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify({ data: {}, currentPageNo: 0, revision: 0 })
					})
				).status,
			responseId
		);
		expect(save).toBe(200);
		await adminPage.reload();
		// Stages are exclusive: the starter left 'invited' (opening the link is outranked by starting).
		expect(await counts(adminPage)).toEqual({ invited: 2, opened: 0, started: 1, submitted: 0 });
		expect(await adminPage.getByTestId('stage').allTextContents()).toContain('Đang trả lời');

		const [filler] = generateResponses({
			questionnaire,
			sector: 'textiles',
			count: 1,
			seed: 'ops',
			missingRate: 0
		});
		const submitted = await page.evaluate(
			async ({ id, data }) => {
				const r = await fetch(`/api/v1/responses/${id}/submit`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ data, currentPageNo: 0, revision: 1, submitKey: 'e2e-ops' })
				});
				return r.status;
			},
			{ id: responseId, data: filler.answers }
		);
		expect(submitted).toBe(200);

		// 4. Tracking counts, then reminders: only the 2 that have not submitted.
		await adminPage.reload();
		expect(await counts(adminPage)).toEqual({ invited: 2, opened: 0, started: 0, submitted: 1 });
		// Vietnamese page: decimal comma, as every figure in the app.
		expect(await adminPage.getByTestId('response-rate').textContent()).toContain('33,3%');
		await adminPage.getByTestId('send-reminders').click();
		await adminPage.getByTestId('remind-result').waitFor();
		expect(await adminPage.getByTestId('remind-result').locator('li').count()).toBe(2);

		const campaignId = campaignPath.split('/').pop()!;
		await adminPage.goto(`/admin/mail?campaign=${campaignId}`);
		const reminderRows = adminPage.locator('[data-testid=mail-row][data-template=reminder]');
		await expect(reminderRows.count()).resolves.toBe(2);
		const reminded = (await reminderRows.locator('td:first-child').allTextContents()).map(
			(t) => t.split(/\s/)[0]
		);
		const invitedTo = await adminPage
			.locator('[data-testid=mail-row][data-template=invitation] td:first-child')
			.allTextContents();
		expect(invitedTo).toHaveLength(3);

		// The invitation's deadline is the closing day the campaign page shows, read in a browser
		// far west of the department (Los Angeles, UTC−8) as in one at home (Hanoi).
		const dayOf = (text: string) =>
			text
				.match(/(\d{1,2})\/(\d{1,2})\/(\d{4})/)!
				.slice(1)
				.map(Number);
		const mailPath = await adminPage
			.locator('[data-testid=mail-row][data-template=invitation] a')
			.first()
			.getAttribute('href');
		for (const timezoneId of ['America/Los_Angeles', 'Asia/Ho_Chi_Minh']) {
			const away = await browser.newContext({
				baseURL: baseUrl,
				locale: 'vi-VN',
				timezoneId,
				storageState: await ctx.storageState()
			});
			const awayPage = await away.newPage();
			await awayPage.goto(campaignPath);
			const shown = (await awayPage.getByTestId('campaign-dates').textContent())!.split('–')[1];
			await awayPage.goto(mailPath!);
			const mailed = (await awayPage.getByTestId('mail-text').textContent())!;
			expect(dayOf(mailed), `${timezoneId}: ${mailed}`).toEqual(dayOf(shown));
			await away.close();
		}
		// The submitter got a thank-you mail instead of a reminder.
		const thanksTo = (
			await adminPage.locator('[data-testid=mail-row][data-template=thanks] td:first-child').allTextContents()
		).map((t) => t.split(/\s/)[0]);
		expect(thanksTo).toHaveLength(1);
		expect(reminded).not.toContain(thanksTo[0]);
		expect(new Set(reminded).size).toBe(2);
		await eCtx.close();
		await ctx.close();
	});

	test('a submit after closing is refused with a clear message; after an extension it is accepted', async () => {
		const ctx = await newContext(browser, baseUrl);
		const adminPage = await ctx.newPage();
		await loginAs(adminPage, admin.email, admin.password);
		const year = new Date().getFullYear() + 2;
		await adminPage.goto('/admin/campaigns');
		await adminPage.selectOption('#sector', 'textiles');
		await adminPage.fill('#year', String(year));
		// Closed yesterday (Vietnam time): the campaign exists but no longer accepts answers.
		await adminPage.fill('#opensAt', ymd(new Date(Date.now() - 10 * DAY)));
		await adminPage.fill('#closesAt', ymd(new Date(Date.now() - DAY)));
		// Creating asks for confirmation, then goes to the new campaign.
		adminPage.once('dialog', (d) => void d.accept());
		await Promise.all([
			adminPage.waitForURL(/\/admin\/campaigns\/[^/?]+\?created=1$/),
			adminPage.getByRole('button', { name: 'Tạo đợt khảo sát' }).click()
		]);
		await adminPage.getByTestId('created').waitFor();
		const campaignPath = new URL(adminPage.url()).pathname;
		await adminPage.goto(`${campaignPath}/invite`);
		await adminPage.locator('[data-testid=candidates] input[type=checkbox]').first().check();
		await adminPage.getByTestId('preview-invitations').click();
		await adminPage.getByTestId('send-invitations').click();
		const link = (await adminPage.getByTestId('campaign-invite-link').first().textContent())!.trim();

		const eCtx = await newContext(browser, baseUrl);
		const page = await eCtx.newPage();
		await page.goto(new URL(link).pathname);
		await page.fill('#name', 'Lê Văn Muộn');
		await page.fill('#password', 'mat-khau-nop-muon-2026');
		await page.fill('#password2', 'mat-khau-nop-muon-2026');
		await Promise.all([page.waitForURL('**/enterprise'), page.click('button[type=submit]')]);
		const item = page.getByTestId('campaign-item').filter({ hasText: `năm ${year}` });
		// The dashboard tells the late user the campaign has closed.
		await expect(item.locator('.notice.error').textContent()).resolves.toContain('đã đóng');
		const [filler] = generateResponses({
			questionnaire,
			sector: 'textiles',
			count: 1,
			seed: 'late',
			missingRate: 0
		});
		const submit = (id: string) =>
			page.evaluate(
				async ({ id, data }) => {
					const r = await fetch(`/api/v1/responses/${id}/submit`, {
						method: 'POST',
						headers: { 'content-type': 'application/json', 'accept-language': 'vi' },
						body: JSON.stringify({ data, currentPageNo: 0, revision: 0, submitKey: 'late-1' })
					});
					return { status: r.status, body: await r.text() };
				},
				{ id, data: filler.answers }
			);
		// The closed dashboard offers no questionnaire link, so the response id comes from the admin's late list.
		await adminPage.goto(`${campaignPath}/tracking`);
		const declineForm = adminPage.locator('[data-testid=late-row] input[name=responseId]').first();
		const id = (await declineForm.getAttribute('value'))!;
		const refused = await submit(id);
		expect(refused.status).toBe(409);
		expect(refused.body).toMatch(/đã đóng|closed/);

		await adminPage.goto(campaignPath);
		await adminPage.fill('#closesAt', ymd(new Date(Date.now() + 5 * DAY)));
		await adminPage.getByRole('button', { name: 'Gia hạn' }).click();
		await adminPage.waitForLoadState('networkidle');
		const accepted = await submit(id);
		expect(accepted.status).toBe(200);
		await eCtx.close();
		await ctx.close();
	});
});
