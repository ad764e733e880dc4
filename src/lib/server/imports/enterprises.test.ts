import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { C, type EnterpriseDoc, type ImportDoc, type InvitationDoc, type ResponseDoc } from '../db/schema';
import type { MailDoc } from '../mail/types';
import { importEnterprises } from './enterprises';
import { analyseImport } from './analyse';
import { importFixture, type ImportFixture } from './testing';

let fx: ImportFixture;
beforeEach(async () => {
	fx = await importFixture();
});
afterEach(async () => fx.cleanup());

const VI_HEADER =
	'Mã số thuế;Tên doanh nghiệp;Mã VSIC;Loại hình sở hữu;Phường/xã;Số lao động;Doanh thu (tỷ đồng);Vốn (tỷ đồng);Email liên hệ';

describe('importEnterprises', () => {
	it('the analysis announces the number format the import then uses (decimal comma here)', async () => {
		const file = await fx.file(
			'reg-comma.csv',
			`${VI_HEADER}\r\n0101234567;Công ty A;2819;Ngoài nhà nước;Hoàn Kiếm;120;1.234,5;10,25;a@example.vn\r\n`
		);
		const a = await analyseImport(fx.db, { kind: 'enterprises', file, fileName: 'reg-comma.csv' });
		expect(a.numberFormat.format).toBe('comma-decimal');
		const r = await importEnterprises(fx.db, { file });
		expect(r.numberFormat).toBe('comma-decimal');
		const e = await fx.db.collection<EnterpriseDoc>(C.enterprises).findOne({ taxCode: '0101234567' });
		expect(e).toMatchObject({ revenueBn: 1234.5, capitalBn: 10.25, ownership: 'private' });
	});

	it('creates by tax code from Vietnamese headers, then updates only what changed; re-import is a no-op', async () => {
		const file = await fx.file(
			'reg.csv',
			`\uFEFF${VI_HEADER}\r\n0101234567;Công ty A;2819;Doanh nghiệp nhà nước;Hoàn Kiếm;120;1.234,5;10;a@example.vn\r\n0309876543-001;Công ty B;2592;fdi;hoan-kiem;;;;\r\n`
		);
		const r1 = await importEnterprises(fx.db, { file });
		expect(r1.problems).toEqual([]);
		expect(r1.counts).toEqual({ imported: 2, updated: 0, unchanged: 0, rejected: 0 });
		const a = await fx.db.collection<EnterpriseDoc>(C.enterprises).findOne({ taxCode: '0101234567' });
		expect(a).toMatchObject({
			name: 'Công ty A',
			vsic: '2819',
			ownership: 'state',
			ward: 'hoan-kiem',
			employees: 120,
			revenueBn: 1234.5,
			capitalBn: 10,
			email: 'a@example.vn'
		});
		expect((await importEnterprises(fx.db, { file })).counts).toEqual({
			imported: 0,
			updated: 0,
			unchanged: 2,
			rejected: 0
		});
		const en = await fx.file(
			'en.csv',
			'Tax code,Name,VSIC code,Ownership,Ward/commune,Employees\r\n0101234567,Công ty A,2819,State-owned,Hoàn Kiếm,130\r\n'
		);
		expect((await importEnterprises(fx.db, { file: en })).counts).toEqual({
			imported: 0,
			updated: 1,
			unchanged: 0,
			rejected: 0
		});
		expect(
			(await fx.db.collection<EnterpriseDoc>(C.enterprises).findOne({ taxCode: '0101234567' }))!.employees
		).toBe(130);
	});

	it('rejects bad rows with row, column and value; all-or-nothing stores nothing', async () => {
		const file = await fx.file(
			'bad.csv',
			'taxCode,name,vsic,ownership,ward,employees,email\r\n0101234567,A,2819,private,hoan-kiem,10,\r\n12345,B,99999,alien,hoan-kiem,-1,not-mail\r\n0101234567,C,2819,private,hoan-kiem,,\r\n'
		);
		const r = await importEnterprises(fx.db, { file });
		expect(r.status).toBe('rejected');
		expect(r.problems.map((p) => [p.row, p.column, p.value])).toEqual([
			[3, 'taxCode', '12345'],
			[3, 'vsic', '99999'],
			[3, 'ownership', 'alien'],
			[3, 'employees', '-1'],
			[3, 'email', 'not-mail'],
			[4, 'taxCode', '0101234567']
		]);
		expect(r.counts.rejected).toBe(2);
		expect(await fx.db.collection(C.enterprises).countDocuments({})).toBe(0);
		const lenient = await importEnterprises(fx.db, { file, mode: 'valid-rows-only' });
		expect(lenient.counts).toEqual({ imported: 1, updated: 0, unchanged: 0, rejected: 2 });
	});

	it('refuses files without the required columns or with two columns for one field', async () => {
		const missing = await importEnterprises(fx.db, {
			file: await fx.file('m.csv', 'taxCode,name\r\n0101234567,A\r\n')
		});
		expect(missing.message?.en).toMatch(/Missing required columns: vsic .*ownership .*ward/);
		const dup = await importEnterprises(fx.db, {
			file: await fx.file(
				'd.csv',
				'taxCode,Mã số thuế,name,vsic,ownership,ward\r\n0101234567,0101234567,A,2819,state,hoan-kiem\r\n'
			)
		});
		expect(dup.message?.en).toMatch(/Several columns mean the same field: taxCode/);
	});

	it('adds to a campaign and e-mails its invitation once per enterprise', async () => {
		const file = await fx.file(
			'c.csv',
			'taxCode,name,vsic,ownership,ward,email\r\n0101234567,A,2819,private,hoan-kiem,a@example.vn\r\n0309876543,B,2819,private,hoan-kiem,\r\n'
		);
		const origin = 'https://techcap.example.vn';
		const r = await importEnterprises(fx.db, { file, campaignId: fx.campaign._id, invite: true, origin });
		expect(r.status).toBe('committed');
		expect(r.participantsAdded).toBe(2);
		expect(r.invitations.map((i) => i.email)).toEqual(['a@example.vn']);
		expect(r.invitations[0].link).toMatch(/^https:\/\/techcap\.example\.vn\/invite\//);
		expect(r.invited).toEqual({ queued: 1, already: 0, noEmail: 1, errors: 0 });
		// The e-mail is queued with the personal link, and the import records what was sent.
		const mails = await fx.db.collection<MailDoc>(C.mail).find({});
		expect(mails.map((m) => [m.to, m.template])).toEqual([['a@example.vn', 'invitation']]);
		expect(JSON.stringify(mails[0].params)).toContain(r.invitations[0].link!);
		expect((await fx.db.collection<ImportDoc>(C.imports).findOne({ _id: r.importId }))?.invited).toEqual(
			r.invited
		);
		const again = await importEnterprises(fx.db, { file, campaignId: fx.campaign._id, invite: true, origin });
		expect([again.participantsAdded, again.invitations.length]).toEqual([0, 0]);
		expect(again.invited).toEqual({ queued: 0, already: 1, noEmail: 1, errors: 0 });
		expect(await fx.db.collection<MailDoc>(C.mail).countDocuments({})).toBe(1);
		expect(
			await fx.db.collection<ResponseDoc>(C.responses).countDocuments({ campaignId: fx.campaign._id })
		).toBe(2);
		expect(await fx.db.collection<InvitationDoc>(C.invitations).countDocuments({})).toBe(1);
	});
});
