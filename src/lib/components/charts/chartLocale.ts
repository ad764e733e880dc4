/** Locale-aware helpers shared by the chart components (the page's language comes from the layout data). */
import { isLocale, t, type Locale, type MessageKey } from '$lib/i18n';

export function chartLocale(data: Record<string, unknown> | undefined): Locale {
	const l = data?.locale;
	return isLocale(l) ? l : 'vi';
}

export function chartText(locale: Locale, key: MessageKey): string {
	return t(locale, key);
}

/** Saves a canvas as a PNG file (white background, as the page shows it). */
export function downloadPng(canvas: HTMLCanvasElement, filename: string): void {
	const out = document.createElement('canvas');
	out.width = canvas.width;
	out.height = canvas.height;
	const ctx = out.getContext('2d');
	if (!ctx) return;
	ctx.fillStyle = '#ffffff';
	ctx.fillRect(0, 0, out.width, out.height);
	ctx.drawImage(canvas, 0, 0);
	const a = document.createElement('a');
	a.href = out.toDataURL('image/png');
	a.download = filename;
	a.click();
}
