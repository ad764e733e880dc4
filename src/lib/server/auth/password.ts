/**
 * Password hashing (argon2id) and the password policy.
 */
import { randomBytes } from 'node:crypto';
import { hash, verify, parseOptions, type Algorithm, type Options } from '@node-rs/argon2';
import { MSG } from './messages';
import type { Bilingual } from './types';

/**
 * OWASP Password Storage Cheat Sheet, first argon2id option: m=19 MiB, t=2, p=1. Slow enough to
 * make offline guessing expensive, cheap enough that a 2-core server can absorb a burst of logins
 * (throttling caps the rest).
 * `2` is Algorithm.Argon2id; the package declares a const enum, which isolatedModules cannot read.
 */
const ARGON2ID = 2 as Algorithm.Argon2id;
export const ARGON2_OPTIONS: Options = {
	algorithm: ARGON2ID,
	memoryCost: 19456,
	timeCost: 2,
	parallelism: 1
};

export const PASSWORD_MIN_LENGTH = 10;
/** Long enough for passphrases, short enough that nobody can make us hash megabytes. */
export const PASSWORD_MAX_LENGTH = 256;

export async function hashPassword(password: string): Promise<string> {
	return hash(password, ARGON2_OPTIONS);
}

/** False (never throws) for a malformed stored hash, so a corrupt record cannot crash login. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}

/** True when a stored hash uses weaker or different parameters than today's policy. */
export function needsRehash(passwordHash: string): boolean {
	try {
		const p = parseOptions(passwordHash);
		return (
			p.algorithm !== ARGON2ID ||
			p.memoryCost !== ARGON2_OPTIONS.memoryCost ||
			p.timeCost !== ARGON2_OPTIONS.timeCost ||
			p.parallelism !== ARGON2_OPTIONS.parallelism
		);
	} catch {
		return true;
	}
}

let dummyHash: Promise<string> | null = null;

/**
 * Verifies against a hash of a random value when the user does not exist (or has no password
 * yet), so the response time does not tell an attacker which emails have accounts.
 */
/** The dummy hash itself, so tests can check it is made with the same parameters as real ones. */
export function dummyPasswordHash(): Promise<string> {
	dummyHash ??= hash(randomBytes(32).toString('hex'), ARGON2_OPTIONS);
	return dummyHash;
}

export async function verifyAgainstDummy(password: string): Promise<false> {
	dummyHash ??= hash(randomBytes(32).toString('hex'), ARGON2_OPTIONS);
	await verifyPassword(await dummyHash, password);
	return false;
}

/**
 * The policy: 10 to 256 characters (counted as Unicode code points, so Vietnamese diacritics
 * count once), not a single repeated character, not the email address. Returns the first
 * problem, or null when the password is acceptable.
 */
export function checkPasswordPolicy(password: string, email?: string): Bilingual | null {
	const chars = [...password];
	if (chars.length < PASSWORD_MIN_LENGTH) return MSG.passwordTooShort(PASSWORD_MIN_LENGTH);
	if (chars.length > PASSWORD_MAX_LENGTH) return MSG.passwordTooLong(PASSWORD_MAX_LENGTH);
	if (new Set(chars).size === 1) return MSG.passwordOneChar;
	if (email && password.trim().toLowerCase() === email.trim().toLowerCase()) return MSG.passwordIsEmail;
	return null;
}
