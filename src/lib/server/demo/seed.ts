/**
 * The demo: one account per role plus the demo sector database (see dataset.ts). Idempotent: a
 * `meta` marker records that it ran, so restarts never duplicate data.
 */
import type { Database } from '../db/types';
import { seedPolicyDemo } from '../policy/demo';
import { C, type CampaignDoc } from '../db/schema';
import { publishCampaign } from '../releases/publish';
import { createUser } from '../auth';
import { DEMO_LOGINS, type DemoLogin } from './accounts';
import {
	DEMO_ENTERPRISE_ID,
	seedDemoDataset,
	type DemoDatasetOptions,
	type DemoDatasetSummary
} from './dataset';

interface MetaDoc {
	_id: string;
	at: Date;
	version: number;
	summary?: DemoDatasetSummary;
}

const MARKER = 'demo-seed';
const VERSION = 2;

/** Collections the demo fills; `--reset` empties them before seeding again. */
const DEMO_COLLECTIONS = [
	C.enterprises,
	C.campaigns,
	C.responses,
	C.scores,
	C.releases,
	C.releaseRows,
	C.benchmarks,
	C.invitations,
	C.programmes,
	C.supports
];

export function demoScaleFromEnv(): number {
	const raw = Number(process.env.TECHCAP_DEMO_SCALE ?? '1');
	return Number.isFinite(raw) && raw > 0 && raw <= 20 ? raw : 1;
}

export async function ensureDemoData(
	db: Database,
	opts: DemoDatasetOptions = {}
): Promise<{ logins: readonly DemoLogin[]; created: boolean }> {
	const meta = db.collection<MetaDoc>(C.meta);
	if (await meta.findOne({ _id: MARKER })) return { logins: DEMO_LOGINS, created: false };
	await seedDemo(db, opts);
	return { logins: DEMO_LOGINS, created: true };
}

export async function seedDemo(
	db: Database,
	opts: DemoDatasetOptions & { reset?: boolean } = {}
): Promise<DemoDatasetSummary> {
	if (opts.reset) {
		for (const name of DEMO_COLLECTIONS) await db.collection(name).deleteMany({});
		await db.collection(C.meta).deleteMany({ _id: MARKER });
	}
	const summary = await seedDemoDataset(db, {
		scale: opts.scale ?? demoScaleFromEnv(),
		year: opts.year,
		onProgress: opts.onProgress
	});
	await seedDemoAccounts(db);
	await publishDemoReleases(db);
	await seedPolicyDemo(db);
	await db
		.collection<MetaDoc>(C.meta)
		.updateOne({ _id: MARKER }, { $set: { at: new Date(), version: VERSION, summary } }, { upsert: true });
	return summary;
}

/** The two earlier years' campaigns are published, so the sector database has releases to show. */
async function publishDemoReleases(db: Database): Promise<void> {
	const closed = await db
		.collection<CampaignDoc>(C.campaigns)
		.find({ status: 'closed' }, { projection: { _id: 1 }, sort: { year: 1, sector: 1 } });
	for (const c of closed) await publishCampaign(db, c._id, null);
}

export async function seedDemoAccounts(db: Database): Promise<void> {
	const users = db.collection<{ _id: string; email: string }>(C.users);
	for (const l of DEMO_LOGINS) {
		if (await users.findOne({ email: l.email })) continue;
		await createUser(db, {
			email: l.email,
			name: l.name,
			role: l.role,
			password: l.password,
			locale: 'vi',
			enterpriseId: l.role === 'enterprise' ? DEMO_ENTERPRISE_ID : undefined,
			microdata: l.role === 'analyst' ? true : undefined
		});
	}
}
