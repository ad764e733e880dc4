/**
 * The demo dataset: one account per role and the enterprise the demo enterprise user acts for.
 * Idempotent: a `meta` marker records that it ran, so restarts never duplicate data.
 */
import type { Database } from '../db/types';
import { C, type EnterpriseDoc } from '../db/schema';
import { createUser } from '../auth';
import { DEMO_LOGINS, type DemoLogin } from './accounts';

interface MetaDoc {
	_id: string;
	at: Date;
	version: number;
}

const MARKER = 'demo-seed';
const VERSION = 1;

export async function ensureDemoData(db: Database): Promise<{ logins: readonly DemoLogin[] } | null> {
	const meta = db.collection<MetaDoc>(C.meta);
	if (await meta.findOne({ _id: MARKER })) return { logins: DEMO_LOGINS };
	await seedDemo(db);
	await meta.updateOne({ _id: MARKER }, { $set: { at: new Date(), version: VERSION } }, { upsert: true });
	return { logins: DEMO_LOGINS };
}

export async function seedDemo(db: Database): Promise<void> {
	const enterprises = db.collection<EnterpriseDoc>(C.enterprises);
	const now = new Date();
	const demoEnterprise: EnterpriseDoc = {
		_id: 'demo-enterprise-1',
		taxCode: '0101234567',
		name: 'Công ty TNHH Cơ khí Demo Hà Nội',
		vsic: '2592',
		ward: 'Phường Hoàng Mai',
		ownership: 'private',
		foundedYear: 2008,
		employees: 85,
		revenueBn: 42,
		capitalBn: 15,
		email: 'enterprise@demo.techcap.vn',
		createdAt: now,
		updatedAt: now
	};
	await enterprises.updateOne(
		{ _id: demoEnterprise._id },
		{ $setOnInsert: withoutId(demoEnterprise) },
		{ upsert: true }
	);
	const users = db.collection<{ _id: string; email: string }>(C.users);
	for (const l of DEMO_LOGINS) {
		if (await users.findOne({ email: l.email })) continue;
		await createUser(db, {
			email: l.email,
			name: l.name,
			role: l.role,
			password: l.password,
			locale: 'vi',
			enterpriseId: l.role === 'enterprise' ? demoEnterprise._id : undefined
		});
	}
}

function withoutId<T extends { _id: string }>(doc: T): Omit<T, '_id'> {
	const { _id: _ignored, ...rest } = doc;
	return rest;
}
