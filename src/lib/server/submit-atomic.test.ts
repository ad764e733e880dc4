/**
 * Submitting and rescoring are all-or-nothing: a process killed (SIGKILL) between writing the
 * response and writing its score leaves neither, so no submitted response lacks its scorecard.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './db';
import { C, type EnterpriseDoc, type ResponseDoc, type ScoreDoc } from './db/schema';
import { addParticipants, createCampaign } from './campaigns';
import { submitResponse } from './responses';
import { loadSurvey } from './surveys';
import { generateResponses } from '$lib/domain/generator';
import type { SessionUser } from './auth/types';

const CHILD = fileURLToPath(new URL('./submit-atomic.child.ts', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
	for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Enterprise ent-a's account and a complete, valid set of its answers. */
const userA: SessionUser = {
	id: 'ua',
	email: 'a@x.vn',
	name: 'A',
	role: 'enterprise',
	enterpriseId: 'ent-a',
	locale: 'vi'
};
function validAnswers(): Record<string, unknown> {
	const survey = loadSurvey('mechanical/2025.1');
	const [valid] = generateResponses({
		questionnaire: survey.questionnaire,
		sector: 'mechanical',
		count: 1,
		seed: 7,
		missingRate: 0
	});
	return valid.answers;
}

/** A folder with one open campaign and enterprise ent-a invited to it. */
async function prepared(): Promise<{ dir: string; db: Database; campaignId: string; response: ResponseDoc }> {
	const dir = mkdtempSync(join(tmpdir(), 'techcap-atomic-'));
	dirs.push(dir);
	const db = await openDatabase({ dir });
	const now = new Date();
	await db.collection<EnterpriseDoc>(C.enterprises).insertOne({
		_id: 'ent-a',
		taxCode: '0100000001',
		name: 'Công ty A',
		vsic: '2592',
		ward: 'hoang-mai',
		ownership: 'private',
		createdAt: now,
		updatedAt: now
	});
	const campaign = await createCampaign(db, {
		sector: 'mechanical',
		year: 2026,
		opensAt: new Date(Date.now() - 86400_000),
		closesAt: new Date(Date.now() + 86400_000),
		createdBy: null
	});
	await addParticipants(db, campaign._id, ['ent-a']);
	const response = (await db.collection<ResponseDoc>(C.responses).findOne({ enterpriseId: 'ent-a' }))!;
	return { dir, db, campaignId: campaign._id, response };
}

/** Runs the child until it prints "between", then kills it with SIGKILL. */
async function killBetween(args: string[]): Promise<void> {
	const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let stderr = '';
	proc.stderr.on('data', (d) => (stderr += d));
	const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
	const lines = createInterface({ input: proc.stdout });
	const reached = await new Promise<boolean>((resolve) => {
		lines.on('line', (l) => l === 'between' && resolve(true));
		proc.on('exit', () => resolve(false));
	});
	if (!reached) throw new Error(`the child ended before the second write: ${stderr}`);
	proc.kill('SIGKILL');
	await exited;
}

describe('all-or-nothing submission and rescoring (SIGKILL between the writes)', () => {
	it('a submission killed before its score is stored leaves the response unsubmitted, and can be sent again', async () => {
		const { dir, db, response } = await prepared();
		await db.close();
		await killBetween(['submit', dir, response._id, String(response.revision)]);

		const after = await openDatabase({ dir });
		try {
			const stored = await after.collection<ResponseDoc>(C.responses).findOne({ _id: response._id });
			expect(stored?.status).not.toBe('submitted');
			expect(stored?.score).toBeNull();
			expect(await after.collection<ScoreDoc>(C.scores).countDocuments({ responseId: response._id })).toBe(0);

			const out = await submitResponse(after, userA, response._id, {
				data: validAnswers(),
				currentPageNo: 0,
				revision: stored!.revision
			});
			expect(out.status).toBe(200);
			const submitted = await after.collection<ResponseDoc>(C.responses).findOne({ _id: response._id });
			const score = await after.collection<ScoreDoc>(C.scores).findOne({ _id: submitted!.score!.scoreId });
			expect(score).toMatchObject({
				responseId: response._id,
				current: true,
				total: submitted!.score!.total
			});
		} finally {
			await after.close();
		}
	}, 60_000);

	it('a rescoring killed between the new score and the response summary keeps the old, consistent pair', async () => {
		const { dir, db, campaignId, response } = await prepared();
		await submitResponse(db, userA, response._id, {
			data: validAnswers(),
			currentPageNo: 0,
			revision: response.revision
		});
		const before = (await db.collection<ResponseDoc>(C.responses).findOne({ _id: response._id }))!;
		await db.close();
		await killBetween(['rescore', dir, campaignId]);

		const after = await openDatabase({ dir });
		try {
			const stored = (await after.collection<ResponseDoc>(C.responses).findOne({ _id: response._id }))!;
			expect(stored.score).toEqual(before.score);
			const current = await after
				.collection<ScoreDoc>(C.scores)
				.find({ responseId: response._id, current: true });
			expect(current.map((s) => s._id)).toEqual([before.score!.scoreId]);
			expect(await after.collection<ScoreDoc>(C.scores).countDocuments({ responseId: response._id })).toBe(1);
		} finally {
			await after.close();
		}
	}, 60_000);
});
