/**
 * Shapes shared by the auth use cases and the routes that call them.
 */
import type { Role, UserDoc } from '../db/schema';

export type AuthLocale = 'vi' | 'en';

/** Every user-facing message carries both languages; the route picks one by `locals.locale`. */
export interface Bilingual {
	vi: string;
	en: string;
}

/** What `handle` puts in `locals.user`: enough to render the shell and apply role guards. */
export interface SessionUser {
	id: string;
	email: string;
	name: string;
	role: Role;
	enterpriseId?: string;
	locale: AuthLocale;
	microdata?: boolean;
	publisher?: boolean;
}

/**
 * A user as returned to callers: `id` instead of `_id`, never the password hash, only whether
 * one is set.
 */
export type PublicUser = Omit<UserDoc, '_id' | 'passwordHash'> & {
	id: string;
	/** False until the user sets a password (through an invitation or an admin). */
	hasPassword: boolean;
};

/** A failure callers can show as is: a machine reason, the form field at fault, and text in both languages. */
export interface Failure<R extends string = string> {
	ok: false;
	reason: R;
	field?: string;
	message: Bilingual;
	retryAfterSeconds?: number;
}

/**
 * Bad input to an administrative action (create user, invite, change role or password): carries
 * the field at fault and the text in both languages. `message` is the English text, so the CLI
 * and logs read well; forms show `text[locale]`.
 */
export class AuthInputError extends Error {
	constructor(
		readonly reason: string,
		readonly text: Bilingual,
		readonly field?: string
	) {
		super(text.en);
		this.name = 'AuthInputError';
	}
}

/** Injectable clock so tests can move time (expiry, throttling windows). */
export interface Clock {
	now?: () => Date;
}

export function clockOf(opts: Clock | undefined): () => Date {
	return opts?.now ?? (() => new Date());
}

export function toPublicUser(user: UserDoc): PublicUser {
	const { _id, passwordHash, ...rest } = user;
	return { id: _id, ...rest, hasPassword: typeof passwordHash === 'string' && passwordHash.length > 0 };
}

export function toSessionUser(user: UserDoc | PublicUser): SessionUser {
	const u: SessionUser = {
		id: '_id' in user ? user._id : user.id,
		email: user.email,
		name: user.name,
		role: user.role,
		locale: user.locale
	};
	if (user.enterpriseId) u.enterpriseId = user.enterpriseId;
	if (user.microdata) u.microdata = true;
	if (user.publisher) u.publisher = true;
	return u;
}
