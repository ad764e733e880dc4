/**
 * Bulk invitation candidates: every match counted, served a page at a time, and searchable the way
 * staff type (no tone marks, any case, words in any order, or the start of a tax code).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from './db';
import { C, type CampaignDoc, type EnterpriseDoc, type ResponseDoc } from './db/schema';
import { registerCandidates } from './campaigns';
import { mechanicalCampaign } from './releases/testing';

const NOW = new Date('2025-03-01T00:00:00Z');
let dir: string;
let db: Database;
let campaign: CampaignDoc;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'techcap-candidates-'));
	db = await openDatabase({ dir });
	campaign = mechanicalCampaign('cand-1', NOW, 'open');
	await db.collection<CampaignDoc>(C.campaigns).insertOne(campaign);
	const names = Array.from({ length: 120 }, (_, i) =>
		i % 3 === 0
			? `Công ty Cơ khí số ${String(i).padStart(3, '0')}`
			: `Công ty Đúc ${String(i).padStart(3, '0')}`
	);
	await db.collection<EnterpriseDoc>(C.enterprises).insertMany(
		names.map((name, i) => ({
			_id: `cand-e${i}`,
			taxCode: `01${String(i).padStart(8, '0')}`,
			name,
			vsic: '2511',
			ward: 'lang',
			ownership: 'private' as const,
			createdAt: NOW,
			updatedAt: NOW
		}))
	);
	// One already taking part: never a candidate.
	await db.collection<ResponseDoc>(C.responses).insertOne({
		_id: 'cand-r0',
		campaignId: 'cand-1',
		enterpriseId: 'cand-e0',
		status: 'invited',
		data: {},
		currentPageNo: 0,
		revision: 0,
		source: 'online',
		createdAt: NOW,
		updatedAt: NOW,
		submitKey: null,
		score: null,
		reopened: []
	} as unknown as ResponseDoc);
});
afterAll(async () => {
	await db.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('registerCandidates', () => {
	test('pages: every match counted, each page the next slice in name order, none twice', async () => {
		const seen: string[] = [];
		for (let page = 0; page < 3; page++) {
			const r = await registerCandidates(db, campaign, {}, 50, page * 50);
			expect(r.total).toBe(119);
			expect(r.enterprises).toHaveLength(page < 2 ? 50 : 19);
			seen.push(...r.enterprises.map((e) => e._id));
		}
		expect(new Set(seen).size).toBe(119);
		expect(seen).not.toContain('cand-e0');
		const names = (await registerCandidates(db, campaign, {}, 200)).enterprises.map((e) => e.name);
		expect(names).toEqual([...names].sort());
		expect((await registerCandidates(db, campaign, {}, 50, 500)).enterprises).toEqual([]);
	});

	test('search: "co khi" finds "Cơ khí", "DUC" finds "Đúc", a tax code by its start', async () => {
		const coKhi = await registerCandidates(db, campaign, { q: 'co khi' }, 50);
		expect(coKhi.total).toBe(39);
		expect(coKhi.enterprises.every((e) => e.name.includes('Cơ khí'))).toBe(true);
		expect(
			(await registerCandidates(db, campaign, { q: 'DUC 007' }, 50)).enterprises.map((e) => e.name)
		).toEqual(['Công ty Đúc 007']);
		expect(
			(await registerCandidates(db, campaign, { q: '0100000011' }, 50)).enterprises.map((e) => e._id)
		).toEqual(['cand-e11']);
		// Digits in the middle of a tax code are not a match (they would match half the register).
		expect((await registerCandidates(db, campaign, { q: '0000011' }, 50)).total).toBe(0);
	});
});
