import { describe, expect, it } from 'vitest';
import { HeldTexts, type TextStorage } from './held-texts';

function memory(): TextStorage & { map: Map<string, string> } {
	const map = new Map<string, string>();
	return {
		map,
		getItem: (k) => map.get(k) ?? null,
		setItem: (k, v) => void map.set(k, v),
		removeItem: (k) => void map.delete(k)
	};
}

describe('HeldTexts', () => {
	it('keeps unreadable text per response and field, and forgets it', () => {
		const s = memory();
		const a = new HeldTexts(s, 'techcap:held:r1');
		const b = new HeldTexts(s, 'techcap:held:r2');
		a.set('revenue', '1,2,3');
		a.set('staff', 'abc');
		expect(new HeldTexts(s, 'techcap:held:r1').get('revenue')).toBe('1,2,3');
		expect(b.get('revenue')).toBeNull();
		a.set('revenue', null);
		expect(a.get('revenue')).toBeNull();
		expect(a.get('staff')).toBe('abc');
		a.set('staff', '   ');
		expect(s.map.has('techcap:held:r1')).toBe(false);
	});

	it('clear forgets the response; broken or refusing storage is never fatal', () => {
		const s = memory();
		const a = new HeldTexts(s, 'k');
		a.set('x', 'abc');
		a.clear();
		expect(a.get('x')).toBeNull();
		s.map.set('k', '{not json');
		expect(a.get('x')).toBeNull();
		const full: TextStorage = {
			getItem: () => null,
			setItem: () => {
				throw new Error('QuotaExceededError');
			},
			removeItem: () => {}
		};
		expect(() => new HeldTexts(full, 'k').set('x', 'abc')).not.toThrow();
		expect(new HeldTexts(null, 'k').get('x')).toBeNull();
	});

	it('keeps at most 200 characters', () => {
		const s = memory();
		const a = new HeldTexts(s, 'k');
		a.set('x', 'a'.repeat(500));
		expect(a.get('x')).toHaveLength(200);
	});
});
