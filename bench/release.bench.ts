/**
 * release_build: 100,000 scored responses across 3 sectors × 5 years built into releases (rows,
 * pipelines, disclosure control, materialised benchmarks) on the embedded engine in a temp folder.
 * Only the release build is timed; data preparation is not. Peak RSS is sampled during the build.
 * dashboard_p95: p95 latency of the analyst dashboard's data function over repeated calls.
 *
 * Preparation: the generator draws 1,000 responses per sector, scored with the compiled scorer;
 * each campaign reuses those answers for 6,667 enterprises with their own (generated) attributes,
 * so the segment structure is realistic while generation stays in seconds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateResponses } from '../src/lib/domain/generator';
import { storedScoreResult } from '../src/lib/domain/rubric';
import { openDatabase } from '../src/lib/server/db';
import { newId } from '../src/lib/server/db/ids';
import {
	C,
	type CampaignDoc,
	type EnterpriseDoc,
	type ResponseDoc,
	type ScoreDoc
} from '../src/lib/server/db/schema';
import { analystDashboard, publishCampaign } from '../src/lib/server/releases';
import { listVersions, loadSurvey } from '../src/lib/server/surveys';
import type { Benchmark, BenchResult } from './harness';

const SECTORS = ['mechanical', 'food', 'textiles'];
const YEARS = [2021, 2022, 2023, 2024, 2025];
/** RELEASE_BENCH_TOTAL overrides the response count (e.g. for a quick look). */
const TOTAL = Number(process.env.RELEASE_BENCH_TOTAL ?? 100_000);
const DISTINCT = 1000;

const bench: Benchmark = {
	names: ['release_build', 'dashboard_p95'],
	async run(log) {
		const dir = mkdtempSync(join(tmpdir(), 'techcap-release-bench-'));
		const db = await openDatabase({ dir });
		const perCampaign = Math.ceil(TOTAL / (SECTORS.length * YEARS.length));
		const campaigns: string[] = [];
		try {
			const prepStart = Date.now();
			for (const sector of SECTORS) {
				const survey = loadSurvey(`${sector}/${listVersions(sector).at(-1)}`);
				const drawn = generateResponses({
					questionnaire: survey.questionnaire,
					sector,
					count: DISTINCT,
					seed: `bench:${sector}`,
					missingRate: 0,
					referenceValues: survey.referenceValuesFor(2025)
				});
				const scorer = survey.scorer(2025);
				const scored = drawn.map((r) => scorer.score(r.answers));
				const profiles = generateResponses({
					questionnaire: survey.questionnaire,
					sector,
					count: perCampaign,
					seed: `bench-profiles:${sector}`,
					missingRate: 0
				}).map((r) => r.profile);
				const now = new Date();
				const enterprises: EnterpriseDoc[] = profiles.map((p, i) => ({
					_id: `${sector}-e${i}`,
					taxCode: `${sector}-${p.taxCode}-${i}`,
					name: p.name,
					vsic: p.vsic,
					ward: p.ward,
					ownership: p.ownership,
					employees: p.employees,
					revenueBn: p.revenueBn,
					capitalBn: p.equipmentValueBn * 1.6,
					createdAt: now,
					updatedAt: now
				}));
				for (let i = 0; i < enterprises.length; i += 2000)
					await db.collection<EnterpriseDoc>(C.enterprises).insertMany(enterprises.slice(i, i + 2000));
				for (const year of YEARS) {
					const cid = newId();
					campaigns.push(cid);
					await db.collection<CampaignDoc>(C.campaigns).insertOne({
						_id: cid,
						sector,
						year,
						surveyId: survey.id,
						name: { vi: `${sector} ${year}`, en: `${sector} ${year}` },
						opensAt: new Date(`${year}-03-01`),
						closesAt: new Date(`${year}-06-30`),
						status: 'closed',
						peerThreshold: 5,
						createdBy: null,
						createdAt: now,
						updatedAt: now
					});
					const responses: ResponseDoc[] = [];
					const scores: ScoreDoc[] = [];
					for (let i = 0; i < perCampaign; i++) {
						const s = scored[(i + year) % DISTINCT];
						const rid = newId();
						const sid = newId();
						responses.push({
							_id: rid,
							campaignId: cid,
							enterpriseId: enterprises[i]._id,
							status: 'submitted',
							data: {},
							currentPageNo: 0,
							revision: 1,
							source: 'import',
							createdAt: now,
							updatedAt: now,
							startedAt: now,
							submittedAt: now,
							submitKey: null,
							score: { total: s.total, K: s.K, level: s.level, rubricVersion: s.rubricVersion, scoreId: sid },
							reopened: []
						});
						scores.push({
							_id: sid,
							responseId: rid,
							campaignId: cid,
							enterpriseId: enterprises[i]._id,
							rubricVersion: s.rubricVersion,
							referenceYear: year,
							total: s.total,
							K: s.K,
							level: s.level,
							groups: s.groups,
							// What the app stores (submit, import, rescore): the result without priorities.
							result: storedScoreResult(s),
							current: true,
							reason: 'import',
							scoredAt: now
						});
					}
					for (let i = 0; i < responses.length; i += 2000) {
						await db.collection<ResponseDoc>(C.responses).insertMany(responses.slice(i, i + 2000));
						await db.collection<ScoreDoc>(C.scores).insertMany(scores.slice(i, i + 2000));
					}
				}
			}
			log(
				`prepared ${campaigns.length} campaigns × ${perCampaign} responses in ${((Date.now() - prepStart) / 1000).toFixed(1)} s (not timed)`
			);

			let peak = process.memoryUsage().rss;
			const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
			// CPU time beside wall time: the machine is shared, and CPU time moves less with its load.
			const cpu0 = process.cpuUsage();
			const t0 = performance.now();
			let rows = 0;
			for (const cid of campaigns) rows += (await publishCampaign(db, cid, null)).rowCount;
			const seconds = (performance.now() - t0) / 1000;
			const cpu = process.cpuUsage(cpu0);
			clearInterval(sampler);
			peak = Math.max(peak, process.memoryUsage().rss);

			const times: number[] = [];
			const rights = { microdata: false };
			const variants = [
				{},
				{ size: 'small' },
				{ ownership: 'fdi' },
				{ size: 'medium', ownership: 'private' }
			];
			for (let i = 0; i < 200; i++) {
				const s = performance.now();
				await analystDashboard(
					db,
					{ sector: SECTORS[i % 3], year: YEARS[i % YEARS.length], filters: variants[i % variants.length] },
					rights
				);
				times.push(performance.now() - s);
			}
			times.sort((a, b) => a - b);
			const q = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)];
			const results: BenchResult[] = [
				{
					name: 'release_build',
					value: seconds,
					unit: 's',
					target: { op: '<', value: 30 },
					details: {
						rows,
						releases: campaigns.length,
						peak_rss_mb: Math.round(peak / 1048576),
						rows_per_s: Math.round(rows / seconds),
						cpu_user_s: (cpu.user / 1e6).toFixed(1),
						cpu_system_s: (cpu.system / 1e6).toFixed(1)
					}
				},
				{
					name: 'dashboard_p95',
					value: q(0.95),
					unit: 'ms',
					target: { op: '<', value: 150 },
					details: { p50_ms: q(0.5).toFixed(1), max_ms: times.at(-1)!.toFixed(1), calls: times.length }
				}
			];
			return results;
		} finally {
			await db.close();
			rmSync(dir, { recursive: true, force: true });
		}
	}
};

export default bench;
