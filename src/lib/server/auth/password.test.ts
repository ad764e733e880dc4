import { describe, expect, it } from 'vitest';
import { parseOptions } from '@node-rs/argon2';
import {
	checkPasswordPolicy,
	hashPassword,
	needsRehash,
	dummyPasswordHash,
	verifyAgainstDummy,
	verifyPassword
} from './password';

describe('password hashing', () => {
	it('produces argon2id PHC strings with the OWASP parameters and a fresh salt', async () => {
		const a = await hashPassword('correct horse battery');
		const b = await hashPassword('correct horse battery');
		expect(a.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
		expect(a).not.toBe(b);
		const p = parseOptions(a);
		expect(p.saltLen).toBeGreaterThanOrEqual(16);
		expect(needsRehash(a)).toBe(false);
	});

	it('verifies the right password and rejects a wrong one', async () => {
		const h = await hashPassword('correct horse battery');
		expect(await verifyPassword(h, 'correct horse battery')).toBe(true);
		expect(await verifyPassword(h, 'correct horse batterY')).toBe(false);
	});

	it('treats a corrupt stored hash as a mismatch, not a crash', async () => {
		expect(await verifyPassword('not-a-hash', 'whatever')).toBe(false);
		expect(needsRehash('not-a-hash')).toBe(true);
	});

	it('asks for a rehash when parameters are weaker than the policy', async () => {
		const { hash } = await import('@node-rs/argon2');
		const weak = await hash('correct horse battery', { memoryCost: 4096, timeCost: 1, parallelism: 1 });
		expect(needsRehash(weak)).toBe(true);
	});

	it('verifies unknown accounts against a dummy hash made with the same argon2id parameters', async () => {
		// Equal parameters mean equal work, so timing does not reveal whether an account exists
		// (checked structurally: timing assertions are unreliable on a shared machine).
		const params = (phc: string) => phc.split('$').slice(1, 4).join('$');
		const real = await hashPassword('correct horse battery');
		const dummy = await dummyPasswordHash();
		expect(params(dummy)).toBe(params(real));
		expect(params(real)).toMatch(/^argon2id\$v=19\$m=\d+,t=\d+,p=\d+$/);
		expect(await verifyAgainstDummy('wrong password!')).toBe(false);
	});
});

describe('password policy', () => {
	it('requires at least 10 characters, in both languages', () => {
		const m = checkPasswordPolicy('short1234');
		expect(m?.en).toMatch(/at least 10 characters/);
		expect(m?.vi).toMatch(/ít nhất 10 ký tự/);
		expect(checkPasswordPolicy('long enough')).toBeNull();
	});

	it('counts Vietnamese characters once each', () => {
		// 10 code points, some of them precomposed letters with diacritics.
		expect(checkPasswordPolicy('mậtkhẩuđẹp')).toBeNull();
		expect(checkPasswordPolicy('mậtkhẩuđẹ')).not.toBeNull();
	});

	it('rejects a single repeated character and the email itself', () => {
		expect(checkPasswordPolicy('aaaaaaaaaaaa')?.en).toMatch(/single repeated character/);
		expect(checkPasswordPolicy('Someone@Example.com', 'someone@example.com')?.en).toMatch(/email/);
	});

	it('rejects absurdly long input', () => {
		expect(checkPasswordPolicy('ab'.repeat(200))?.en).toMatch(/at most 256/);
	});
});
