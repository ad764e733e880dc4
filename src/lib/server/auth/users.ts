/**
 * User administration: list, create, disable, change role, change password.
 * Users come back as `PublicUser` (no password hash). Bad input throws `AuthInputError` naming
 * the field, with text in both languages, so a form action can return it with `fail(400, ...)`.
 */
import type { Database, Filter } from '../db/types';
import { isDuplicateKeyError } from '../db/types';
import { C, ROLES, type Role, type UserDoc } from '../db/schema';
import { MSG } from './messages';
import { PASSWORD_MIN_LENGTH, checkPasswordPolicy, hashPassword, verifyPassword } from './password';
import { invalidateUserSessions } from './sessions';
import { AuthInputError, clockOf, toPublicUser, type AuthLocale, type Clock, type PublicUser } from './types';

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NAME_MAX = 200;

/** Emails are compared lower-cased and trimmed everywhere (login, invitations, uniqueness). */
export function normaliseEmail(email: unknown): string {
	return typeof email === 'string' ? email.trim().toLowerCase() : '';
}

export function isValidEmail(email: string): boolean {
	return email.length <= 254 && EMAIL_RE.test(email);
}

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

function users(db: Database) {
	return db.collection<UserDoc>(C.users);
}

/** Role and enterprise link must agree: exactly the enterprise role carries an enterprise. */
export function assertRoleEnterprise(role: unknown, enterpriseId: string | undefined): asserts role is Role {
	if (!isRole(role)) throw new AuthInputError('invalid', MSG.roleInvalid(String(role)), 'role');
	if (role === 'enterprise' && !enterpriseId)
		throw new AuthInputError('invalid', MSG.enterpriseRequired, 'enterpriseId');
	if (role !== 'enterprise' && enterpriseId)
		throw new AuthInputError('invalid', MSG.enterpriseNotAllowed, 'enterpriseId');
}

export function assertEmail(raw: unknown): string {
	const email = normaliseEmail(raw);
	if (!isValidEmail(email)) throw new AuthInputError('invalid', MSG.emailInvalid, 'email');
	return email;
}

export function assertName(raw: unknown): string {
	const name = typeof raw === 'string' ? raw.trim() : '';
	if (!name) throw new AuthInputError('invalid', MSG.nameRequired, 'name');
	if ([...name].length > NAME_MAX) throw new AuthInputError('invalid', MSG.nameTooLong, 'name');
	return name;
}

export function assertLocale(raw: unknown): AuthLocale {
	const locale = raw ?? 'vi';
	if (locale !== 'vi' && locale !== 'en') throw new AuthInputError('invalid', MSG.localeInvalid, 'locale');
	return locale;
}

export function assertPasswordPolicy(password: unknown, email: string, field = 'password'): string {
	const problem =
		typeof password === 'string'
			? checkPasswordPolicy(password, email)
			: MSG.passwordTooShort(PASSWORD_MIN_LENGTH);
	if (problem) throw new AuthInputError('invalid', problem, field);
	return password as string;
}

export async function getUser(db: Database, id: string): Promise<PublicUser | null> {
	const u = await users(db).findOne({ _id: id });
	return u ? toPublicUser(u) : null;
}

export async function findUserByEmail(db: Database, email: string): Promise<PublicUser | null> {
	const u = await users(db).findOne({ email: normaliseEmail(email) });
	return u ? toPublicUser(u) : null;
}

function escapeRegex(s: string): string {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Users sorted by email; `q` matches part of the email or name, case-insensitively. */
export async function listUsers(
	db: Database,
	opts: { role?: Role; q?: string; enterpriseId?: string; limit?: number; skip?: number } = {}
): Promise<PublicUser[]> {
	const filter: Filter = {};
	if (opts.role) filter.role = opts.role;
	if (opts.enterpriseId) filter.enterpriseId = opts.enterpriseId;
	const q = opts.q?.trim();
	if (q) {
		const re = { $regex: escapeRegex(q), $options: 'i' };
		filter.$or = [{ email: re }, { name: re }];
	}
	const found = await users(db).find(filter, {
		sort: { email: 1 },
		skip: opts.skip,
		limit: opts.limit ?? 500
	});
	return found.map(toPublicUser);
}

export interface CreateUserInput {
	email: string;
	name: string;
	role: Role;
	enterpriseId?: string;
	/** Omit to create a pending account that sets its password through an invitation. */
	password?: string;
	locale?: AuthLocale;
	microdata?: boolean;
	publisher?: boolean;
}

/**
 * Creates an account. Throws AuthInputError on bad input ('invalid') or a taken email
 * ('duplicate', field 'email').
 */
export async function createUser(
	db: Database,
	input: CreateUserInput,
	opts: Clock = {}
): Promise<PublicUser> {
	const email = assertEmail(input.email);
	const name = assertName(input.name);
	const enterpriseId = input.enterpriseId?.trim() || undefined;
	assertRoleEnterprise(input.role, enterpriseId);
	const locale = assertLocale(input.locale);
	if (input.password !== undefined) assertPasswordPolicy(input.password, email);

	// Checked up front for a clear message; the unique index still decides under concurrency.
	if (await users(db).findOne({ email })) throw new AuthInputError('duplicate', MSG.emailTaken, 'email');

	const now = clockOf(opts)();
	const doc: Omit<UserDoc, '_id'> = {
		email,
		name,
		role: input.role,
		passwordHash: input.password !== undefined ? await hashPassword(input.password) : null,
		locale,
		disabled: false,
		createdAt: now,
		updatedAt: now
	};
	if (enterpriseId) doc.enterpriseId = enterpriseId;
	if (input.microdata) doc.microdata = true;
	if (input.publisher) doc.publisher = true;
	try {
		const { insertedId } = await users(db).insertOne(doc);
		return toPublicUser({ ...doc, _id: insertedId });
	} catch (e) {
		if (isDuplicateKeyError(e)) throw new AuthInputError('duplicate', MSG.emailTaken, 'email');
		throw e;
	}
}

async function mustFind(db: Database, id: string): Promise<UserDoc> {
	const user = await users(db).findOne({ _id: id });
	if (!user) throw new AuthInputError('not_found', MSG.userNotFound, 'id');
	return user;
}

/** Would this change leave no enabled admin? Protects against locking everyone out. */
async function isLastActiveAdmin(db: Database, user: UserDoc): Promise<boolean> {
	if (user.role !== 'admin' || user.disabled) return false;
	const others = await users(db).countDocuments({ role: 'admin', disabled: false, _id: { $ne: user._id } });
	return others === 0;
}

/**
 * Disabling also ends every session of the user at once. Refuses ('last_admin') to disable the
 * last enabled administrator, so nobody can lock everyone out.
 */
export async function setUserDisabled(
	db: Database,
	id: string,
	disabled: boolean,
	opts: Clock = {}
): Promise<{ user: PublicUser; sessionsEnded: number }> {
	const user = await mustFind(db, id);
	if (disabled && (await isLastActiveAdmin(db, user))) throw new AuthInputError('last_admin', MSG.lastAdmin);
	const updated = await users(db).findOneAndUpdate(
		{ _id: id },
		{ $set: { disabled, updatedAt: clockOf(opts)() } },
		{ returnDocument: 'after' }
	);
	if (!updated) throw new AuthInputError('not_found', MSG.userNotFound, 'id');
	const sessionsEnded = disabled ? await invalidateUserSessions(db, id) : 0;
	return { user: toPublicUser(updated), sessionsEnded };
}

/**
 * Changes the role (and the enterprise link, required exactly for 'enterprise'). Takes effect on
 * the user's next request: sessions read the user each time.
 */
export async function setUserRole(
	db: Database,
	id: string,
	role: Role,
	opts: Clock & { enterpriseId?: string } = {}
): Promise<PublicUser> {
	const enterpriseId = opts.enterpriseId?.trim() || undefined;
	assertRoleEnterprise(role, enterpriseId);
	const user = await mustFind(db, id);
	if (role !== 'admin' && (await isLastActiveAdmin(db, user)))
		throw new AuthInputError('last_admin', MSG.lastAdmin);
	const update: Record<string, unknown> = enterpriseId
		? { $set: { role, enterpriseId, updatedAt: clockOf(opts)() } }
		: { $set: { role, updatedAt: clockOf(opts)() }, $unset: { enterpriseId: '' } };
	const updated = await users(db).findOneAndUpdate({ _id: id }, update, { returnDocument: 'after' });
	if (!updated) throw new AuthInputError('not_found', MSG.userNotFound, 'id');
	return toPublicUser(updated);
}

/**
 * Sets a new password and ends the user's other sessions (a stolen cookie dies with the old
 * password). Pass `currentPassword` when the user changes their own password ('wrong_password'
 * when it does not match); an admin reset omits it. `keepSessionId` is the session the change
 * was made from.
 */
export async function changePassword(
	db: Database,
	id: string,
	input: { newPassword: string; currentPassword?: string; keepSessionId?: string },
	opts: Clock = {}
): Promise<{ sessionsEnded: number }> {
	const user = await mustFind(db, id);
	if (input.currentPassword !== undefined) {
		const ok = user.passwordHash ? await verifyPassword(user.passwordHash, input.currentPassword) : false;
		if (!ok) throw new AuthInputError('wrong_password', MSG.currentPasswordWrong, 'currentPassword');
	}
	assertPasswordPolicy(input.newPassword, user.email, 'newPassword');
	await users(db).updateOne(
		{ _id: id },
		{ $set: { passwordHash: await hashPassword(input.newPassword), updatedAt: clockOf(opts)() } }
	);
	const sessionsEnded = await invalidateUserSessions(db, id, { exceptSessionId: input.keepSessionId });
	return { sessionsEnded };
}
