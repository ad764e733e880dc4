/**
 * One time zone for the department: dates are entered, computed, shown and e-mailed in
 * it, whatever the browser's zone. The server picks the zone (`departmentTimeZone()` in
 * `$lib/server/timezone`) and hands it to pages through the root layout's `timeZone`; these
 * helpers are pure, so pages and the server format the same instant the same way.
 */
import type { Locale } from './i18n';

export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** A calendar date as typed in an `<input type="date">`. */
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isTimeZone(zone: unknown): zone is string {
	if (typeof zone !== 'string' || !zone) return false;
	try {
		new Intl.DateTimeFormat('en', { timeZone: zone });
		return true;
	} catch {
		return false;
	}
}

function toDate(v: Date | string | number | null | undefined): Date | null {
	if (v === null || v === undefined || v === '') return null;
	const d = v instanceof Date ? v : new Date(v);
	return isNaN(+d) ? null : d;
}

/** Wall-clock fields of `d` in `zone`. */
export function zonedParts(
	d: Date,
	zone: string
): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone: zone,
		hourCycle: 'h23',
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: 'numeric',
		minute: 'numeric',
		second: 'numeric'
	}).formatToParts(d);
	const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
	return {
		year: get('year'),
		month: get('month'),
		day: get('day'),
		hour: get('hour') % 24,
		minute: get('minute'),
		second: get('second')
	};
}

/** Milliseconds `zone` is ahead of UTC at instant `d`. */
function offsetAt(d: Date, zone: string): number {
	const p = zonedParts(d, zone);
	const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
	return wall - Math.floor(+d / 1000) * 1000;
}

/** The instant at which the wall clock in `zone` reads the given time (UTC fields of `wall`). */
function fromWall(wall: number, zone: string): Date {
	let guess = wall - offsetAt(new Date(wall), zone);
	guess = wall - offsetAt(new Date(guess), zone);
	return new Date(guess);
}

/** `YYYY-MM-DD` → the first instant of that day in `zone`; null when not a real calendar date. */
export function startOfLocalDay(date: string, zone: string): Date | null {
	const m = DATE_RE.exec(typeof date === 'string' ? date.trim() : '');
	if (!m) return null;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const wall = Date.UTC(y, mo - 1, d);
	const check = new Date(wall);
	if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
	return fromWall(wall, zone);
}

/** `YYYY-MM-DD` → the last second of that day in `zone` (23:59:59 local). */
export function endOfLocalDay(date: string, zone: string): Date | null {
	const start = startOfLocalDay(date, zone);
	if (!start) return null;
	const m = DATE_RE.exec(date.trim())!;
	const next = fromWall(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1), zone);
	return new Date(+next - 1000);
}

/** The calendar date (`YYYY-MM-DD`) of instant `d` in `zone`, as an `<input type="date">` wants it. */
export function localDateOf(v: Date | string, zone: string): string {
	const d = toDate(v);
	if (!d) return '';
	const p = zonedParts(d, zone);
	return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

const intlLocale = (locale: Locale) => (locale === 'vi' ? 'vi-VN' : 'en-GB');

/** A date in the user's language, in the department's zone: 15/01/2027 (vi), 15 Jan 2027 (en). */
export function formatDate(v: Date | string | null | undefined, locale: Locale, zone: string): string {
	const d = toDate(v);
	if (!d) return '–';
	return d.toLocaleDateString(
		intlLocale(locale),
		locale === 'vi'
			? { timeZone: zone, day: '2-digit', month: '2-digit', year: 'numeric' }
			: { timeZone: zone, day: 'numeric', month: 'short', year: 'numeric' }
	);
}

/** A date and time (hours and minutes, 24 h) in the user's language, in the department's zone. */
export function formatDateTime(v: Date | string | null | undefined, locale: Locale, zone: string): string {
	const d = toDate(v);
	if (!d) return '–';
	const time = d.toLocaleTimeString(intlLocale(locale), {
		timeZone: zone,
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23'
	});
	return `${formatDate(d, locale, zone)} ${time}`;
}

/** The zone's short name for a caption, e.g. "GMT+7". */
export function zoneLabel(zone: string, at: Date = new Date()): string {
	const part = new Intl.DateTimeFormat('en-GB', { timeZone: zone, timeZoneName: 'shortOffset' })
		.formatToParts(at)
		.find((p) => p.type === 'timeZoneName');
	return part?.value ?? zone;
}
