/**
 * Imported paper responses get the same soft plausibility checks as online ones: a row far from
 * the enterprise's answer last year, or outside the sector's usual range, is imported anyway and
 * reported (code plausibility, row, column, value, comparison in both languages); the warning is
 * stored with the response for campaign tracking.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { C, type CampaignDoc, type EnterpriseDoc, type ResponseDoc } from '../db/schema';
import type { ReleaseDoc } from '../releases/types';
import { importResponses } from './responses';
import { generated, importFixture, registerOf, responsesCsv, type ImportFixture } from './testing';

let fx: ImportFixture;
beforeEach(async () => {
	fx = await importFixture();
});
afterEach(async () => fx.cleanup());

describe('plausibility in the responses import', () => {
	it('reports and stores the warnings without rejecting the row', async () => {
		const rs = generated(3, 'imp-plaus');
		await registerOf(fx.db, rs);
		const answers = rs.map((r) => ({ ...r.answers }));
		const first = (await fx.db
			.collection<EnterpriseDoc>(C.enterprises)
			.findOne({ taxCode: rs[0].profile.taxCode }))!;
		// Last year the first enterprise reported a tenth of this year's equipment value.
		const now = new Date();
		await fx.db.collection<CampaignDoc>(C.campaigns).insertOne({
			...fx.campaign,
			_id: 'c-2024',
			year: 2024,
			status: 'published'
		});
		await fx.db.collection<ResponseDoc>(C.responses).insertOne({
			_id: 'r-2024',
			campaignId: 'c-2024',
			enterpriseId: first._id,
			status: 'submitted',
			data: { profile_equipment_value_bn: 2 },
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
		});
		answers[0].profile_equipment_value_bn = 20;
		// The sector's latest release: the second row's engineers are above the usual range.
		await fx.db.collection<ReleaseDoc>(C.releases).insertOne({
			_id: 'rel-2024',
			campaignId: 'c-2024',
			sector: 'mechanical',
			year: 2024,
			version: 1,
			status: 'ready',
			usualRanges: { o15_engineers: { n: 40, low: 1, high: 50 } }
		} as unknown as ReleaseDoc);
		answers[1].o15_engineers = 90;
		answers[0].o15_engineers = 10;
		answers[2].o15_engineers = 10;

		const file = await fx.file('plaus.csv', responsesCsv(fx.template, answers));
		const r = await importResponses(fx.db, fx.campaign._id, { file });
		expect(r.status).toBe('committed');
		expect(r.counts).toMatchObject({ imported: 3, rejected: 0 });
		const found = r.problems.filter((p) => (p as { code?: string }).code === 'plausibility');
		expect(found.map((p) => [p.row, p.column, p.value])).toEqual([
			[2, 'profile_equipment_value_bn', '20'],
			[3, 'o15_engineers', '90']
		]);
		expect(found[0].message.en).toBe(
			'Worth checking (not blocking the import): 20, last year: 2 (10 times, threshold ×10).'
		);
		expect(found[1].message.vi).toContain('mức thường gặp năm 2024: 1 – 50');
		expect(r.warnings.map((w) => w.code)).toContain('plausibility');

		const stored = await fx.db.collection<ResponseDoc>(C.responses).find({ campaignId: fx.campaign._id });
		const byEnterprise = new Map(stored.map((s) => [s.enterpriseId, s]));
		expect(byEnterprise.get(first._id)?.plausibility?.map((w) => w.advice.kind)).toEqual(['last-year']);
		expect(stored.filter((s) => s.plausibility?.length).length).toBe(2);
	});
});
