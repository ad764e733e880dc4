import { describe, expect, test } from 'vitest';
import { foldText, registerEntryMatches } from './search';

const coKhi = { name: 'Công ty TNHH Cơ khí Đông Anh', taxCode: '0101234567' };
const detMay = { name: 'Công ty Dệt may Hà Nội', taxCode: '0109876543-001' };

describe('register search', () => {
	test('folds tone marks, đ and case; punctuation is a space', () => {
		expect(foldText('Cơ khí ĐÔNG Anh')).toBe('co khi dong anh');
		expect(foldText('  Dệt-may,  Hà Nội ')).toBe('det may ha noi');
		// Precomposed and decomposed input fold alike.
		expect(foldText('Cơ khí'.normalize('NFD'))).toBe(foldText('Cơ khí'.normalize('NFC')));
	});

	test('"co khi" finds "Cơ khí"; words in any order; every word must match', () => {
		expect(registerEntryMatches(coKhi, 'co khi')).toBe(true);
		expect(registerEntryMatches(coKhi, 'CƠ KHÍ')).toBe(true);
		expect(registerEntryMatches(coKhi, 'dong anh co khi')).toBe(true);
		expect(registerEntryMatches(coKhi, 'co khi ha noi')).toBe(false);
		expect(registerEntryMatches(detMay, 'co khi')).toBe(false);
		expect(registerEntryMatches(detMay, 'det')).toBe(true);
	});

	test('digits match the start of the tax code, not its middle', () => {
		expect(registerEntryMatches(coKhi, '0101')).toBe(true);
		expect(registerEntryMatches(coKhi, '1234')).toBe(false);
		expect(registerEntryMatches(detMay, '0109876543-0')).toBe(true);
	});

	test('an empty query matches everything; punctuation alone matches nothing', () => {
		expect(registerEntryMatches(coKhi, '  ')).toBe(true);
		expect(registerEntryMatches(coKhi, '%%')).toBe(false);
	});
});
