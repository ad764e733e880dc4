/** Issue 20: a register import enrols in a campaign only when someone chose one. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { C, type CampaignDoc } from '../db/schema';
import type { Database } from '../db/types';
import { openMailTestDb, type TestDb } from '../mail/testing';
import { mechanicalCampaign } from '../releases/testing';
import { registerImportChoice } from './choice';
import { ImportRefused } from './types';

let t: TestDb;
let db: Database;
const NOW = new Date('2025-05-10T00:00:00Z');

beforeAll(async () => {
	t = await openMailTestDb();
	db = t.db;
	await db
		.collection<CampaignDoc>(C.campaigns)
		.insertMany([
			mechanicalCampaign('running', NOW, 'open'),
			mechanicalCampaign('done', NOW, 'closed'),
			{ ...mechanicalCampaign('past', NOW, 'open'), closesAt: new Date('2025-05-01T00:00:00Z') }
		]);
});
afterAll(async () => t.cleanup());

async function refused(fields: Record<string, unknown>) {
	const e = await registerImportChoice(db, fields, NOW).then(
		() => null,
		(x: unknown) => x
	);
	expect(e).toBeInstanceOf(ImportRefused);
	return (e as ImportRefused).messages;
}

describe('registerImportChoice', () => {
	test('"none" never enrols, even with a campaign id posted (a select left on its first entry)', async () => {
		expect(await registerImportChoice(db, { enrol: 'none', campaignId: 'running' }, NOW)).toEqual({
			campaignId: null,
			invite: false,
			campaignName: null
		});
	});

	test('an explicit choice enrols (and invites) in the chosen running campaign', async () => {
		const r = await registerImportChoice(db, { enrol: 'enrol', campaignId: 'running' }, NOW);
		expect(r).toMatchObject({ campaignId: 'running', invite: false });
		expect((await registerImportChoice(db, { enrol: 'invite', campaignId: 'running' }, NOW)).invite).toBe(
			true
		);
	});

	test('refused: no choice at all (an old form), an unknown choice', async () => {
		expect((await refused({ campaignId: 'running' })).vi).toMatch(/Hãy chọn/);
		await refused({ enrol: 'yes', campaignId: 'running' });
		await refused({ enrol: ['enrol'], campaignId: 'running' });
	});

	test('refused: enrol without a campaign, an unknown campaign, a closed one, one past its closing date', async () => {
		expect((await refused({ enrol: 'enrol', campaignId: '' })).en).toMatch(/Choose the campaign/);
		await refused({ enrol: 'invite' });
		await refused({ enrol: 'enrol', campaignId: 'nope' });
		expect((await refused({ enrol: 'enrol', campaignId: 'done' })).en).toMatch(/no longer accepts/);
		await refused({ enrol: 'invite', campaignId: 'past' });
	});
});
