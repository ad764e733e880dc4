import { describe, expect, it } from 'vitest';
import { hashToken, isWellFormedToken, newToken, TOKEN_BYTES } from './tokens';

describe('opaque tokens', () => {
	it('carry 256 random bits as 43 base64url characters', () => {
		const t = newToken();
		expect(TOKEN_BYTES * 8).toBeGreaterThanOrEqual(128);
		expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(Buffer.from(t, 'base64url').length).toBe(32);
		expect(isWellFormedToken(t)).toBe(true);
	});

	it('do not repeat and use the whole alphabet', () => {
		const seen = new Set<string>();
		const chars = new Set<string>();
		for (let i = 0; i < 2000; i++) {
			const t = newToken();
			seen.add(t);
			for (const c of t) chars.add(c);
		}
		expect(seen.size).toBe(2000);
		// 86,000 draws from 64 symbols: a working RNG shows every one of them.
		expect(chars.size).toBe(64);
	});

	it('are stored as SHA-256 hex, never as themselves', () => {
		const t = newToken();
		const h = hashToken(t);
		expect(h).toMatch(/^[0-9a-f]{64}$/);
		expect(h).not.toContain(t);
		expect(hashToken(t)).toBe(h);
	});

	it('rejects malformed values before any lookup', () => {
		for (const bad of ['', 'abc', newToken() + 'x', 'a'.repeat(42) + '=', null, undefined, 42]) {
			expect(isWellFormedToken(bad)).toBe(false);
		}
	});
});
