/**
 * The administrators' user list and the publishing right. The list is filtered here rather than in
 * the query: accent-folded search ("nguyen van" finds "Nguyễn Văn") has no index on either engine,
 * and a department has hundreds of accounts, not millions. Both use cases refuse anyone but an
 * administrator, whatever route calls them.
 */
import { foldText, queryWords } from '$lib/domain/enterprise/search';
import { recordAudit } from './audit';
import { C, type Role, type UserDoc } from './db/schema';
import type { Database, Filter } from './db/types';
import type { Bilingual } from './auth/types';

export const USERS_PAGE_SIZE = 50;

export class UsersAdminError extends Error {
	constructor(
		readonly code: 'forbidden' | 'invalid' | 'not-found',
		readonly text: Bilingual
	) {
		super(text.en);
		this.name = 'UsersAdminError';
	}
}

export interface UsersAdminActor {
	id: string;
	email: string;
	role: Role;
}

function adminOnly(actor: UsersAdminActor | null | undefined): UsersAdminActor {
	if (actor?.role !== 'admin')
		throw new UsersAdminError('forbidden', {
			vi: 'Chỉ quản trị viên được quản lý người dùng.',
			en: 'Only administrators may manage users.'
		});
	return actor;
}

export interface UserRow {
	id: string;
	email: string;
	name: string;
	role: Role;
	enterpriseId: string | null;
	disabled: boolean;
	pending: boolean;
	publisher: boolean;
}

/** Every query word is in the folded name or e-mail; an empty query matches everyone. */
export function userMatches(user: { name: string; email: string }, q: string): boolean {
	const words = queryWords(q);
	if (!words.length) return true;
	const text = `${foldText(user.name)} ${foldText(user.email)}`;
	return words.every((w) => text.includes(w));
}

/**
 * One page of accounts, sorted by e-mail, with the total that matched and the last page. A page
 * past the last is reported as such (`last`), so the route can send the user there.
 */
export async function listUsersPage(
	db: Database,
	actor: UsersAdminActor | null | undefined,
	opts: { role?: Role | null; q?: string; page: number }
): Promise<{ users: UserRow[]; total: number; page: number; last: number }> {
	adminOnly(actor);
	const filter: Filter = opts.role ? { role: opts.role } : {};
	const q = (opts.q ?? '').slice(0, 100);
	const all = (
		await db.collection<UserDoc>(C.users).find(filter, {
			projection: {
				email: 1,
				name: 1,
				role: 1,
				enterpriseId: 1,
				disabled: 1,
				passwordHash: 1,
				publisher: 1
			}
		})
	).filter((u) => userMatches(u, q));
	all.sort((a, b) => a.email.localeCompare(b.email));
	const last = Math.max(1, Math.ceil(all.length / USERS_PAGE_SIZE));
	const start = (opts.page - 1) * USERS_PAGE_SIZE;
	return {
		total: all.length,
		page: opts.page,
		last,
		users: all.slice(start, start + USERS_PAGE_SIZE).map((u) => ({
			id: u._id,
			email: u.email,
			name: u.name,
			role: u.role,
			enterpriseId: u.enterpriseId ?? null,
			disabled: !!u.disabled,
			pending: !u.passwordHash,
			publisher: u.publisher === true
		}))
	};
}

/**
 * Grants or withdraws the right to publish releases. Only analysts carry it: an administrator
 * publishes anyway, and other roles never see releases under review. Audited with the old and new
 * value; setting the value it already has changes and records nothing.
 */
export async function setPublisher(
	db: Database,
	actor: UsersAdminActor | null | undefined,
	input: { id: string; publisher: boolean },
	meta: { ip?: string } = {}
): Promise<{ changed: boolean; email: string }> {
	const by = adminOnly(actor);
	const users = db.collection<UserDoc>(C.users);
	const user = input.id ? await users.findOne({ _id: input.id }) : null;
	if (!user)
		throw new UsersAdminError('not-found', {
			vi: 'Không tìm thấy tài khoản này.',
			en: 'This account does not exist.'
		});
	if (user.role !== 'analyst')
		throw new UsersAdminError('invalid', {
			vi: `Chỉ tài khoản chuyên viên phân tích mới được giao quyền công bố; ${user.email} không phải chuyên viên phân tích.`,
			en: `Only analyst accounts can be given the publishing right; ${user.email} is not an analyst.`
		});
	const before = user.publisher === true;
	if (before === input.publisher) return { changed: false, email: user.email };
	await users.updateOne(
		{ _id: user._id },
		input.publisher ? { $set: { publisher: true } } : { $unset: { publisher: '' } }
	);
	await recordAudit(db, {
		actor: by,
		action: input.publisher ? 'user.publisher.grant' : 'user.publisher.revoke',
		target: `users/${user._id}`,
		before: { email: user.email, publisher: before },
		after: { email: user.email, publisher: input.publisher },
		ip: meta.ip
	});
	return { changed: true, email: user.email };
}
