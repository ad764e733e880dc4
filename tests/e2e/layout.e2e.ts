/**
 * Staff pages laid out as people see them, at a laptop's 1366 px and a phone's 390 px, in both
 * languages: the admin menu wraps between labels and never inside one, and the import form's radios
 * and checkboxes sit small beside their labels (they once rendered as large centred circles above
 * them). Screenshots are kept for a person to look at.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { launch, loginAs } from './browser';
import { DEMO_LOGINS } from '../../src/lib/server/demo/accounts';

const baseUrl = inject('baseUrl');
const admin = DEMO_LOGINS.find((l) => l.role === 'admin')!;
const SHOTS = '/tmp/techcap-shots';
const SIZES = [
	{ name: 'laptop', width: 1366, height: 800, mobile: false },
	{ name: 'phone', width: 390, height: 844, mobile: true }
] as const;

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
	mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
	await browser?.close();
});

async function open(size: (typeof SIZES)[number], lang: 'vi' | 'en'): Promise<Page> {
	const ctx = await browser.newContext({
		baseURL: baseUrl,
		locale: lang === 'vi' ? 'en-US' : 'vi-VN',
		timezoneId: 'UTC',
		viewport: { width: size.width, height: size.height },
		isMobile: size.mobile
	});
	await ctx.addCookies([{ name: 'techcap_locale', value: lang, url: baseUrl }]);
	const page = await ctx.newPage();
	await loginAs(page, admin.email, admin.password);
	return page;
}

/** Menu links whose label is broken over more than one line. */
function brokenLabels(page: Page): Promise<string[]> {
	return page
		.locator('#main-nav a')
		.evaluateAll((links) =>
			links
				.filter((a) => (a as HTMLElement).offsetParent !== null && a.getClientRects().length > 1)
				.map((a) => a.textContent!.trim())
		);
}

describe.each(SIZES)('at $name width', (size) => {
	test.each(['vi', 'en'] as const)('in %s: the admin menu and the import form', async (lang) => {
		const page = await open(size, lang);
		await page.goto('/admin/users');
		if (size.mobile) await page.locator('.menu-toggle').click();
		await page.locator('#main-nav a').first().waitFor();
		expect(await brokenLabels(page)).toEqual([]);
		await page.screenshot({ path: `${SHOTS}/menu-${size.name}-${lang}.png` });

		await page.goto('/analyst/imports');
		const choices = page.locator('form input[type=radio], form input[type=checkbox]');
		expect(await choices.count()).toBeGreaterThan(0);
		for (const input of await choices.all()) {
			if (!(await input.isVisible())) continue;
			const box = (await input.boundingBox())!;
			// A control the size of a control, not a full-width circle.
			expect(box.width).toBeLessThan(32);
			// Beside its label: the label's text starts on the control's line, to its right.
			const label = input.locator('xpath=ancestor::label[1]');
			const text = (await label.boundingBox())!;
			expect(Math.abs(text.y + text.height / 2 - (box.y + box.height / 2))).toBeLessThan(text.height);
			expect(text.x + text.width).toBeGreaterThan(box.x + box.width);
		}
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		expect(overflow).toBeLessThanOrEqual(1);
		await page.screenshot({ path: `${SHOTS}/imports-${size.name}-${lang}.png`, fullPage: true });
		await page.context().close();
	});
});
