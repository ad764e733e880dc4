/**
 * wal_bound: 50 enterprises autosave their questionnaire as fast as the server answers, for
 * WAL_BENCH_SECONDS (default 60), through the autosave use case on the embedded engine; a reader
 * meanwhile lists the campaign's responses. Reports the peak size of the write-ahead log
 * (sampled every 50 ms), the database file's growth, the saves per second and lost writes
 * (a save acknowledged but not found afterwards).
 */
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark } from './harness';
import { openDatabase } from '../src/lib/server/db/index';
import { C, type EnterpriseDoc, type ResponseDoc } from '../src/lib/server/db/schema';
import { addParticipants, createCampaign } from '../src/lib/server/campaigns';
import { saveDraft } from '../src/lib/server/responses';
import { loadSurvey } from '../src/lib/server/surveys';
import { generateResponses } from '../src/lib/domain/generator';
import type { SessionUser } from '../src/lib/server/auth/types';

const CLIENTS = 50;
const SECONDS = Number(process.env.WAL_BENCH_SECONDS ?? 60);

const bench: Benchmark = {
	names: ['wal_bound'],
	async run(log) {
		const dir = await mkdtemp(join(tmpdir(), 'techcap-bench-wal-'));
		const db = await openDatabase({ dir });
		try {
			const now = new Date();
			const ids = Array.from({ length: CLIENTS }, (_, i) => `ent-${i}`);
			await db.collection<EnterpriseDoc>(C.enterprises).insertMany(
				ids.map((id, i) => ({
					_id: id,
					taxCode: String(100000000 + i),
					name: `Công ty ${i}`,
					vsic: '2592',
					ward: 'hoang-mai',
					ownership: 'private' as const,
					createdAt: now,
					updatedAt: now
				}))
			);
			const campaign = await createCampaign(db, {
				sector: 'mechanical',
				year: 2026,
				opensAt: new Date(Date.now() - 86400_000),
				closesAt: new Date(Date.now() + 86400_000),
				createdBy: null
			});
			await addParticipants(db, campaign._id, ids);
			const survey = loadSurvey(campaign.surveyId);
			const answers = generateResponses({
				questionnaire: survey.questionnaire,
				sector: 'mechanical',
				count: CLIENTS,
				seed: 'wal',
				missingRate: 0
			}).map((r) => r.answers);
			const wal = join(dir, 'techcap.sqlite-wal');
			const file = join(dir, 'techcap.sqlite');
			const sizeOf = (p: string) => (existsSync(p) ? statSync(p).size : 0);
			const startBytes = sizeOf(file);
			let peak = 0;
			const sampler = setInterval(() => (peak = Math.max(peak, sizeOf(wal))), 50);
			const deadline = Date.now() + SECONDS * 1000;
			let saves = 0;
			let errors = 0;
			const last = new Map<string, number>();
			const client = async (i: number) => {
				const user: SessionUser = {
					id: `u${i}`,
					email: `u${i}@x.vn`,
					name: `U${i}`,
					role: 'enterprise',
					enterpriseId: ids[i],
					locale: 'vi'
				};
				const response = (await db
					.collection<ResponseDoc>(C.responses)
					.findOne({ campaignId: campaign._id, enterpriseId: ids[i] }))!;
				let revision = response.revision;
				for (let n = 0; Date.now() < deadline; n++) {
					const out = await saveDraft(db, user, response._id, {
						data: { ...answers[i], t1_equipment_age: n % 40 },
						currentPageNo: n % 3,
						revision
					});
					if (out.status !== 200) {
						errors++;
						continue;
					}
					revision = (out as { revision: number }).revision;
					last.set(response._id, revision);
					saves++;
				}
			};
			const reader = async () => {
				while (Date.now() < deadline) {
					await db.collection<ResponseDoc>(C.responses).find({ campaignId: campaign._id });
					await new Promise((r) => setTimeout(r, 100));
				}
			};
			await Promise.all([...ids.map((_, i) => client(i)), reader()]);
			clearInterval(sampler);
			peak = Math.max(peak, sizeOf(wal));
			let lost = 0;
			for (const [id, revision] of last) {
				const stored = await db.collection<ResponseDoc>(C.responses).findOne({ _id: id });
				if (stored?.revision !== revision) lost++;
			}
			const growth = sizeOf(file) - startBytes;
			log(`${saves} saves in ${SECONDS} s by ${CLIENTS} clients, ${errors} refused, ${lost} lost`);
			return [
				{
					name: 'wal_bound',
					value: Math.round((peak / 1024 / 1024) * 10) / 10,
					unit: 'MB',
					target: { op: '<=', value: 64 },
					details: {
						saves_per_s: Math.round(saves / SECONDS),
						lost_writes: lost,
						errors,
						db_file_growth_mb: Math.round((growth / 1024 / 1024) * 10) / 10
					}
				}
			];
		} finally {
			await db.close();
			await rm(dir, { recursive: true, force: true });
		}
	}
};

export default bench;
