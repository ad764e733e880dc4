/**
 * Issue 20: both templates carry one example row. The register template's headers are the ones the
 * import reads, in the user's language; sent back unchanged, the example row is refused (never
 * imported by accident), and the same row with a real tax code imports.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { C, type EnterpriseDoc } from '../db/schema';
import { importEnterprises } from './enterprises';
import { importResponses } from './responses';
import { registerTemplate, templateFiles } from './status';
import { importFixture, type ImportFixture } from './testing';

let fx: ImportFixture;
beforeEach(async () => {
	fx = await importFixture();
});
afterEach(async () => fx.cleanup());

describe('templates', () => {
	for (const locale of ['vi', 'en'] as const)
		it(`register template (${locale}): example refused as is, imported with a real tax code`, async () => {
			const csv = registerTemplate(locale);
			expect(csv.split('\r\n')[0]).toContain(locale === 'vi' ? 'Mã số thuế' : 'Tax code');
			const asIs = await importEnterprises(fx.db, { file: await fx.file(`as-is-${locale}.csv`, csv) });
			expect(asIs.status).toBe('rejected');
			expect(asIs.problems.map((p) => p.row)).toEqual([2]);
			const real = csv.replace(/(VÍ DỤ|EXAMPLE) - [^;,]+/, '0101234567');
			const ok = await importEnterprises(fx.db, { file: await fx.file(`real-${locale}.csv`, real) });
			expect(ok.problems).toEqual([]);
			const e = await fx.db.collection<EnterpriseDoc>(C.enterprises).findOne({ taxCode: '0101234567' });
			expect(e).toMatchObject({ ownership: 'private', ward: 'lang', employees: 45, revenueBn: 12.5 });
		});

	for (const locale of ['vi', 'en'] as const)
		it(`responses template (${locale}): a label row, then one example row refused as is on its tax code only`, async () => {
			const { template } = templateFiles(fx.campaign.surveyId, locale);
			const lines = template.trim().split('\r\n');
			expect(lines).toHaveLength(3);
			expect(lines[1]).toContain(locale === 'vi' ? 'Mã số thuế' : 'Tax code');
			const r = await importResponses(fx.db, fx.campaign._id, {
				file: await fx.file(`resp-template-${locale}.csv`, template),
				mode: 'valid-rows-only'
			});
			// The label row (file row 2) is skipped: the only problem is the example's tax code, on row 3.
			const cols = new Set(r.problems.map((p) => p.column));
			expect(cols.size).toBe(1);
			expect(new Set(r.problems.map((p) => p.row))).toEqual(new Set([3]));
			expect(r.problems[0].value).toContain(locale === 'vi' ? 'VÍ DỤ' : 'EXAMPLE');
		});
});
