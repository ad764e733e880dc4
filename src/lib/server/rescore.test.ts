/**
 * Rescoring a campaign on the embedded engine: earlier score documents stay (not current), the new
 * ones record the new rubric version, response summaries and the campaign's version follow, and the
 * `techcap rescore` command does the same from the shell.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openDatabase, type Database } from './db';
import { C, type CampaignDoc, type EnterpriseDoc, type ResponseDoc, type ScoreDoc } from './db/schema';
import { newId } from './db/ids';
import { createCampaign } from './campaigns';
import { storeScore } from './responses';
import { clearSurveyCache, deriveVersion, loadSurvey } from './surveys';
import { getJob, rescoreCampaign, startRescoreJob, summaryLine } from './rescore';
import { generateResponses } from '$lib/domain/generator';

const COUNT = 12;
let dir: string;
let db: Database;
let campaign: CampaignDoc;
const actor = { id: 'admin-1', email: 'admin@x.vn' };

async function seed(): Promise<void> {
	campaign = await createCampaign(db, {
		sector: 'food',
		year: 2025,
		surveyId: 'food/2025.1',
		opensAt: new Date('2025-03-01'),
		closesAt: new Date('2025-06-30'),
		status: 'closed',
		createdBy: null
	});
	const survey = loadSurvey('food/2025.1');
	const generated = generateResponses({
		questionnaire: survey.questionnaire,
		sector: 'food',
		count: COUNT,
		seed: 11,
		missingRate: 0
	});
	const now = new Date();
	for (const [i, g] of generated.entries()) {
		const e: EnterpriseDoc = {
			_id: `ent-${i}`,
			taxCode: `01000000${String(i).padStart(2, '0')}`,
			name: `DN ${i}`,
			vsic: '1010',
			ward: 'hoang-mai',
			ownership: 'private',
			createdAt: now,
			updatedAt: now
		};
		await db.collection<EnterpriseDoc>(C.enterprises).insertOne(e);
		const r: ResponseDoc = {
			_id: newId(),
			campaignId: campaign._id,
			enterpriseId: e._id,
			status: 'submitted',
			data: g.answers,
			currentPageNo: 0,
			revision: 1,
			source: 'online',
			createdAt: now,
			updatedAt: now,
			startedAt: now,
			submittedAt: now,
			submitKey: null,
			score: null,
			reopened: []
		};
		const score = survey.scorer(2025).score(r.data);
		const scoreId = newId();
		r.score = {
			total: score.total,
			K: score.K,
			level: score.level,
			rubricVersion: score.rubricVersion,
			scoreId
		};
		await db.collection<ResponseDoc>(C.responses).insertOne(r);
		await storeScore(db, r, campaign, score, scoreId, 'submit');
	}
	// One response still being answered: rescoring must leave it alone.
	await db.collection<ResponseDoc>(C.responses).insertOne({
		_id: newId(),
		campaignId: campaign._id,
		enterpriseId: 'ent-draft',
		status: 'in-progress',
		data: {},
		currentPageNo: 0,
		revision: 1,
		source: 'online',
		createdAt: now,
		updatedAt: now,
		startedAt: now,
		submittedAt: null,
		submitKey: null,
		score: null,
		reopened: []
	});
}

beforeAll(async () => {
	clearSurveyCache();
	dir = mkdtempSync(join(tmpdir(), 'techcap-rescore-'));
	db = await openDatabase({ dir });
	await seed();
});
afterAll(async () => {
	clearSurveyCache();
	await db?.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('rescoring a campaign', () => {
	it('with a new version keeps the old score documents and records the version on the new ones', async () => {
		// Much stricter cut-offs: every enterprise lands lower, so the change is visible.
		const edited = await deriveVersion(db, actor, 'food/2025.1', {
			levels: {
				'trung-binh': { minTotal: 90, minK: 0.3 },
				'trung-binh-tien-tien': { minTotal: 92, minK: 0.45 },
				'tien-tien': { minTotal: 94, minK: 0.6 },
				'hien-dai': { minTotal: 96, minK: 0.75 }
			}
		});
		expect(edited).toMatchObject({ ok: true, id: 'food/2025.1-r2' });
		const before = await db.collection<ScoreDoc>(C.scores).find({ campaignId: campaign._id });
		expect(before).toHaveLength(COUNT);
		const progress: Array<[number, number]> = [];
		const summary = await rescoreCampaign(db, {
			campaignId: campaign._id,
			rubric: '2025.1-r2',
			actor,
			onProgress: (d, t) => void progress.push([d, t])
		});
		expect(summary).toMatchObject({
			surveyId: 'food/2025.1-r2',
			previousSurveyId: 'food/2025.1',
			campaignUpdated: true,
			total: COUNT,
			rescored: COUNT,
			failed: 0,
			meanDelta: 0
		});
		expect(progress[0]).toEqual([0, COUNT]);
		expect(progress.at(-1)).toEqual([COUNT, COUNT]);
		const expectedChanged = before.filter((s) => s.level !== 'lac-hau').length;
		expect(summary.levelChanged).toBe(expectedChanged);
		expect(summaryLine(summary)).toMatch(
			new RegExp(
				`^rescored ${COUNT}/${COUNT} submitted responses of campaign \\S+ with food/2025.1-r2 \\(campaign version food/2025.1 → food/2025.1-r2\\)`
			)
		);

		const scores = db.collection<ScoreDoc>(C.scores);
		// The old documents are all still there, unchanged except for no longer being current.
		for (const old of before) {
			const now = await scores.findOne({ _id: old._id });
			expect(now).toMatchObject({
				rubricVersion: 'food/2025.1',
				reason: 'submit',
				current: false,
				total: old.total
			});
		}
		const fresh = await scores.find({ campaignId: campaign._id, current: true });
		expect(fresh).toHaveLength(COUNT);
		expect(fresh.every((s) => s.rubricVersion === 'food/2025.1-r2' && s.reason === 'rescore')).toBe(true);
		expect(fresh.every((s) => s.level === 'lac-hau')).toBe(true);
		const responses = await db
			.collection<ResponseDoc>(C.responses)
			.find({ campaignId: campaign._id, status: 'submitted' });
		for (const r of responses) {
			const cur = fresh.find((s) => s.responseId === r._id)!;
			expect(r.score).toEqual({
				total: cur.total,
				K: cur.K,
				level: 'lac-hau',
				rubricVersion: 'food/2025.1-r2',
				scoreId: cur._id
			});
		}
		const draft = await db.collection<ResponseDoc>(C.responses).findOne({ enterpriseId: 'ent-draft' });
		expect(draft?.score).toBeNull();
		expect((await db.collection<CampaignDoc>(C.campaigns).findOne({ _id: campaign._id }))?.surveyId).toBe(
			'food/2025.1-r2'
		);
		expect(await db.collection(C.audit).countDocuments({ action: 'campaign.rescore' })).toBe(1);
	});

	it('refuses an unknown version, another sector, and an unknown campaign', async () => {
		await expect(rescoreCampaign(db, { campaignId: campaign._id, rubric: '1999.1', actor })).rejects.toThrow(
			"unknown survey 'food/1999.1'"
		);
		await expect(
			rescoreCampaign(db, { campaignId: campaign._id, rubric: 'mechanical/2025.1', actor })
		).rejects.toThrow("Version mechanical/2025.1 is for sector 'mechanical', the campaign is 'food'.");
		await expect(rescoreCampaign(db, { campaignId: 'nope', actor })).rejects.toThrow("No campaign 'nope'.");
	});

	it('runs as a job with progress in the database', async () => {
		const jobId = await startRescoreJob(db, actor, campaign._id, 'food/2025.1');
		let job = await getJob(db, jobId);
		for (let i = 0; i < 200 && job?.status === 'running'; i++) {
			await new Promise((r) => setTimeout(r, 50));
			job = await getJob(db, jobId);
		}
		expect(job).toMatchObject({
			status: 'done',
			done: COUNT,
			total: COUNT,
			failed: 0,
			surveyId: 'food/2025.1'
		});
		// Two rescorings: each response now has three score documents, one current.
		const all = await db.collection<ScoreDoc>(C.scores).find({ campaignId: campaign._id });
		expect(all).toHaveLength(COUNT * 3);
		expect(all.filter((s) => s.current).every((s) => s.rubricVersion === 'food/2025.1')).toBe(true);
		expect(new Set(all.map((s) => s.rubricVersion))).toEqual(new Set(['food/2025.1', 'food/2025.1-r2']));
	});
});

describe('techcap rescore', { timeout: 90_000 }, () => {
	it('rescores from the shell with a progress bar and a summary line', async () => {
		await db.close();
		const run = promisify(execFile);
		const env = { ...process.env, TECHCAP_DATA_DIR: dir, TECHCAP_SURVEYS_DIR: '', MONGODB_URI: '' };
		const { stdout, stderr } = await run(
			process.execPath,
			[
				'--import',
				'tsx',
				'src/cli/techcap.ts',
				'rescore',
				'--campaign',
				campaign._id,
				'--rubric',
				'2025.1-r2'
			],
			{ cwd: process.cwd(), env }
		);
		expect(stdout).toMatch(new RegExp(`^rescored ${COUNT}/${COUNT} submitted responses .* 0 failed\\n$`));
		expect(stderr).toContain(`rescoring [####################] 100% (${COUNT}/${COUNT})`);
		const bad = await run(
			process.execPath,
			['--import', 'tsx', 'src/cli/techcap.ts', 'rescore', '--campaign', 'nope'],
			{
				cwd: process.cwd(),
				env
			}
		).catch((e: { code: number; stderr: string }) => e);
		expect('code' in bad && bad.code).toBe(1);
		expect(bad.stderr).toContain("No campaign 'nope'.");
		db = await openDatabase({ dir });
		expect(await db.collection(C.scores).countDocuments({ campaignId: campaign._id })).toBe(COUNT * 4);
		expect(
			await db
				.collection(C.scores)
				.countDocuments({ campaignId: campaign._id, current: true, rubricVersion: 'food/2025.1-r2' })
		).toBe(COUNT);
	});
});
