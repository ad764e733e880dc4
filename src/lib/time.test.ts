import { describe, expect, test } from 'vitest';
import { endOfLocalDay, formatDate, formatDateTime, isTimeZone, localDateOf, startOfLocalDay } from './time';

const HCM = 'Asia/Ho_Chi_Minh';

describe('department time zone helpers', () => {
	test('a local date means local midnight and the last second of that day', () => {
		expect(startOfLocalDay('2027-01-15', HCM)?.toISOString()).toBe('2027-01-14T17:00:00.000Z');
		expect(endOfLocalDay('2027-03-31', HCM)?.toISOString()).toBe('2027-03-31T16:59:59.000Z');
		expect(startOfLocalDay('2027-07-01', 'Europe/Paris')?.toISOString()).toBe('2027-06-30T22:00:00.000Z');
		expect(endOfLocalDay('2027-03-28', 'Europe/Paris')?.toISOString()).toBe('2027-03-28T21:59:59.000Z');
	});
	test('not a calendar date → null', () => {
		for (const d of ['2027-02-30', '15/01/2027', '', '2027-1-5', '2027-13-01'])
			expect(startOfLocalDay(d, HCM)).toBeNull();
	});
	test('pages show the department day whatever the process zone', () => {
		const closes = endOfLocalDay('2027-01-21', HCM)!;
		expect(localDateOf(closes, HCM)).toBe('2027-01-21');
		expect(formatDate(closes, 'vi', HCM)).toBe('21/01/2027');
		expect(formatDate(closes, 'en', HCM)).toBe('21 Jan 2027');
		expect(formatDateTime(startOfLocalDay('2027-01-15', HCM), 'vi', HCM)).toBe('15/01/2027 00:00');
		expect(formatDate(null, 'vi', HCM)).toBe('–');
	});
	test('zone names are checked', () => {
		expect(isTimeZone(HCM)).toBe(true);
		expect(isTimeZone('Mars/Olympus')).toBe(false);
		expect(isTimeZone('')).toBe(false);
	});
});
