/** Debian chromium driven by playwright-core (never a downloaded browser). */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launch(): Promise<Browser> {
	return chromium.launch({
		executablePath: CHROMIUM,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync'
		]
	});
}

export async function newContext(
	browser: Browser,
	baseURL: string,
	opts: { mobile?: boolean } = {}
): Promise<BrowserContext> {
	return browser.newContext({
		baseURL,
		locale: 'vi-VN',
		viewport: opts.mobile ? { width: 390, height: 844 } : { width: 1280, height: 900 },
		isMobile: opts.mobile ?? false
	});
}

export async function loginAs(page: Page, email: string, password: string): Promise<void> {
	await page.goto('/login');
	await page.fill('#email', email);
	await page.fill('#password', password);
	await Promise.all([
		page.waitForURL((u) => !u.pathname.startsWith('/login')),
		page.click('button[type=submit]')
	]);
}
