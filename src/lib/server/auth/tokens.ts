/**
 * Opaque secrets (session cookies, invitation links). Only their SHA-256 is stored, so a copy of
 * the database does not yield usable cookies or links. SHA-256 without salt is enough here:
 * the input is 256 random bits, not a guessable password.
 */
import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes = 256 bits, base64url: 43 characters, safe in cookies and URL paths. */
export const TOKEN_BYTES = 32;
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

export function newToken(): string {
	return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** Rejects anything that cannot be one of our tokens before touching the database. */
export function isWellFormedToken(token: unknown): token is string {
	return typeof token === 'string' && TOKEN_RE.test(token);
}

export function hashToken(token: string): string {
	return createHash('sha256').update(token, 'utf8').digest('hex');
}
