import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { C, type ResponseDoc, type ScoreDoc } from '../db/schema';
import { addParticipants } from '../campaigns';
import { importResponses } from './responses';
import { problemReportCsv, getImport, importStatus } from './status';
import { generated, importFixture, registerOf, responsesCsv, type ImportFixture } from './testing';

let fx: ImportFixture;
beforeEach(async () => {
	fx = await importFixture();
});
afterEach(async () => fx.cleanup());

async function counts() {
	return {
		responses: await fx.db.collection<ResponseDoc>(C.responses).countDocuments({}),
		scores: await fx.db.collection<ScoreDoc>(C.scores).countDocuments({}),
		current: await fx.db.collection<ScoreDoc>(C.scores).countDocuments({ current: true })
	};
}

describe('importResponses', () => {
	it('reads the register vocabulary too: "Ngoài nhà nước" and a bare ward name', async () => {
		const rs = generated(1, 'imp-vocab');
		await registerOf(fx.db, rs);
		const answers = rs.map((r) => ({ ...r.answers }));
		const csv = responsesCsv(fx.template, answers)
			.replace(/,private,|,state,|,fdi,/, ',Ngoài nhà nước,')
			.replace(new RegExp(`,${String(answers[0].profile_ward)},`), ',Hoàn Kiếm,');
		expect(csv).toContain(',Ngoài nhà nước,');
		expect(csv).toContain(',Hoàn Kiếm,');
		const file = await fx.file('vocab.csv', csv);
		const r = await importResponses(fx.db, fx.campaign._id, { file });
		expect(r.problems).toEqual([]);
		const stored = await fx.db.collection<ResponseDoc>(C.responses).findOne({ campaignId: fx.campaign._id });
		expect(stored?.data.profile_ownership).toBe('private');
		expect(stored?.data.profile_ward).toBe('hoan-kiem');
	});

	it('reports every problem of a row in one pass: an unknown code and an out-of-range number', async () => {
		const rs = generated(2, 'imp-one-pass');
		await registerOf(fx.db, rs);
		const answers = rs.map((r) => ({ ...r.answers }));
		answers[0].profile_ownership = 'xyz';
		answers[0].t5_automated_share_pct = 125;
		const file = await fx.file('one-pass.csv', responsesCsv(fx.template, answers));
		const r = await importResponses(fx.db, fx.campaign._id, { file, mode: 'valid-rows-only' });
		const row2 = r.problems.filter((p) => p.row === 2).map((p) => p.column);
		expect(row2).toContain('profile_ownership');
		expect(row2).toContain('t5_automated_share_pct');
		// The unreadable cell is reported once, not again as "required".
		expect(row2.filter((c) => c === 'profile_ownership')).toHaveLength(1);
		expect(r.counts).toMatchObject({ imported: 1, rejected: 1 });
	});

	it('imports valid rows, scores them like the rubric, and re-importing changes nothing', async () => {
		const rs = generated(30, 'imp-1');
		await registerOf(fx.db, rs);
		const file = await fx.file(
			'r.csv',
			responsesCsv(
				fx.template,
				rs.map((r) => r.answers)
			)
		);
		const first = await importResponses(fx.db, fx.campaign._id, { file });
		expect(first.problems).toEqual([]);
		expect(first.status).toBe('committed');
		expect(first.counts).toEqual({ imported: 30, updated: 0, unchanged: 0, rejected: 0 });
		const stored = await fx.db.collection<ResponseDoc>(C.responses).find({ campaignId: fx.campaign._id });
		expect(stored).toHaveLength(30);
		expect(
			stored.every((r) => r.source === 'import' && r.importId === first.importId && r.status === 'submitted')
		).toBe(true);
		const before = await counts();
		expect(before).toEqual({ responses: 30, scores: 30, current: 30 });

		const again = await importResponses(fx.db, fx.campaign._id, { file });
		expect(again.status).toBe('committed');
		expect(again.counts).toEqual({ imported: 0, updated: 0, unchanged: 30, rejected: 0 });
		expect(await counts()).toEqual(before);
		const after = await fx.db.collection<ResponseDoc>(C.responses).find({ campaignId: fx.campaign._id });
		expect(after.map((r) => [r._id, r.revision, r.score?.scoreId])).toEqual(
			stored.map((r) => [r._id, r.revision, r.score?.scoreId])
		);
		const status = await importStatus(fx.db, again.importId);
		expect(status).toMatchObject({ status: 'committed', phase: 'done', fraction: 1 });
	});

	it('updates a changed row with a new current score and keeps the old one', async () => {
		const rs = generated(5, 'imp-2');
		await registerOf(fx.db, rs);
		await importResponses(fx.db, fx.campaign._id, {
			file: await fx.file(
				'a.csv',
				responsesCsv(
					fx.template,
					rs.map((r) => r.answers)
				)
			)
		});
		const changed = rs.map((r, i) =>
			i === 2 ? { ...r.answers, o15_engineers: Number(r.answers.o15_engineers ?? 0) + 7 } : r.answers
		);
		const res = await importResponses(fx.db, fx.campaign._id, {
			file: await fx.file('b.csv', responsesCsv(fx.template, changed))
		});
		expect(res.counts).toEqual({ imported: 0, updated: 1, unchanged: 4, rejected: 0 });
		expect(await counts()).toEqual({ responses: 5, scores: 6, current: 5 });
	});

	it('all-or-nothing stores nothing when a row is bad; valid-rows-only stores the rest; the report names row and column', async () => {
		const rs = generated(6, 'imp-3');
		await registerOf(fx.db, rs);
		const answers = rs.map((r) => ({ ...r.answers }));
		answers[1].t2_equipment_origin = 'martian';
		delete answers[3].profile_name;
		const file = await fx.file('bad.csv', responsesCsv(fx.template, answers));
		const strict = await importResponses(fx.db, fx.campaign._id, { file });
		expect(strict.status).toBe('rejected');
		expect(strict.counts).toEqual({ imported: 0, updated: 0, unchanged: 0, rejected: 2 });
		expect(await counts()).toEqual({ responses: 0, scores: 0, current: 0 });
		expect(strict.problems.map((p) => [p.row, p.column, p.value])).toEqual([
			[3, 't2_equipment_origin', 'martian'],
			[5, 'profile_name', '']
		]);
		const csv = problemReportCsv((await getImport(fx.db, strict.importId))!);
		expect(csv).toContain('3,t2_equipment_origin,martian');

		const lenient = await importResponses(fx.db, fx.campaign._id, { file, mode: 'valid-rows-only' });
		expect(lenient.status).toBe('committed');
		expect(lenient.counts).toEqual({ imported: 4, updated: 0, unchanged: 0, rejected: 2 });
		expect((await counts()).responses).toBe(4);
	});

	it('reports unknown enterprises, duplicates and online answers as conflicts, never overwriting them', async () => {
		const rs = generated(4, 'imp-4');
		await registerOf(fx.db, rs.slice(0, 3));
		const ent = await fx.db.collection(C.enterprises).findOne({ taxCode: rs[0].profile.taxCode });
		await addParticipants(fx.db, fx.campaign._id, [ent!._id]);
		await fx.db
			.collection<ResponseDoc>(C.responses)
			.updateOne(
				{ enterpriseId: ent!._id },
				{ $set: { status: 'in-progress', data: { profile_name: 'x' } } }
			);
		const answers = [rs[0].answers, rs[1].answers, rs[1].answers, rs[3].answers, rs[2].answers];
		const res = await importResponses(fx.db, fx.campaign._id, {
			file: await fx.file('c.csv', responsesCsv(fx.template, answers)),
			mode: 'valid-rows-only'
		});
		expect(res.problems.map((p) => [p.row, p.code])).toEqual([
			[4, 'duplicate'],
			[2, 'conflict'],
			[5, 'unknown-enterprise']
		]);
		expect(res.counts).toEqual({ imported: 2, updated: 0, unchanged: 0, rejected: 3 });
		const online = await fx.db.collection<ResponseDoc>(C.responses).findOne({ enterpriseId: ent!._id });
		expect(online).toMatchObject({ status: 'in-progress', source: 'online', data: { profile_name: 'x' } });
	});

	it('reads decimal commas when told, and detects them with a semicolon file', async () => {
		const rs = generated(3, 'imp-5');
		await registerOf(fx.db, rs);
		const csv = responsesCsv(
			fx.template,
			rs.map((r) => r.answers)
		);
		// Vietnamese Excel: `;` delimiter, decimal comma.
		const lines = csv
			.split('\r\n')
			.map((l, i) => (i === 0 ? l.replace(/,/g, ';') : l.replace(/,/g, ';').replace(/(\d)\.(\d)/g, '$1,$2')));
		const file = await fx.file('vi.csv', lines.join('\r\n'));
		const res = await importResponses(fx.db, fx.campaign._id, { file });
		expect(res.problems).toEqual([]);
		expect(res.numberFormat).toBe('comma-decimal');
		const r = await fx.db.collection<ResponseDoc>(C.responses).findOne({ enterpriseId: { $exists: true } });
		expect(typeof r!.data.profile_revenue_bn).toBe('number');
		const wrong = await importResponses(fx.db, fx.campaign._id, { file, numberFormat: 'dot-decimal' });
		expect(wrong.status).toBe('rejected');
	});

	it('refuses a published campaign', async () => {
		await fx.db
			.collection(C.campaigns)
			.updateOne({ _id: fx.campaign._id }, { $set: { status: 'published' } });
		await expect(
			importResponses(fx.db, fx.campaign._id, { file: await fx.file('x.csv', 'a,b\n') })
		).rejects.toThrow(/published/);
	});
});
