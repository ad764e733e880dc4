import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Rubric } from '../rubric';
import { parseProgramme, validateProgramme, validateSegmentFilter } from './programme';
import { rubricRescorer } from './rescorer';
import { TargetingInputError } from './types';

const rubric = JSON.parse(
	readFileSync(join(process.cwd(), 'surveys/mechanical/2025.1/rubric.json'), 'utf8')
) as Rubric;
const ctx = { rescorer: rubricRescorer(rubric), sectors: ['mechanical', 'food', 'textiles'] };

const valid = {
	id: 'digital-2026',
	name: { vi: 'Chuyển đổi số cho doanh nghiệp nhỏ', en: 'Digital transformation for small firms' },
	type: 'digital',
	improves: [
		{ criterion: 'O14', points: 2 },
		{ criterion: 'I26', points: 1.5 }
	],
	costPerEnterpriseVnd: 80_000_000,
	eligibility: {
		sizes: ['micro', 'small'],
		sectors: ['mechanical'],
		levels: ['lac-hau', 'trung-binh'],
		wards: ['ba-dinh'],
		ownerships: ['private'],
		vsic: ['25']
	}
};

const paths = (v: unknown) => validateProgramme(v, ctx).map((i) => i.path);

describe('validateProgramme', () => {
	it('accepts a complete programme and returns it typed', () => {
		expect(validateProgramme(valid, ctx)).toEqual([]);
		expect(parseProgramme(valid, ctx).improves[0].criterion).toBe('O14');
		expect(validateProgramme({ ...valid, eligibility: {} }, ctx)).toEqual([]);
	});

	it('reports each bad field with its path', () => {
		expect(paths({ ...valid, id: 'Bad Id!' })).toEqual(['$.id']);
		expect(paths({ ...valid, name: { vi: 'x', en: ' ' } })).toEqual(['$.name.en']);
		expect(paths({ ...valid, type: 'subsidy' })).toEqual(['$.type']);
		expect(paths({ ...valid, improves: [] })).toEqual(['$.improves']);
		expect(paths({ ...valid, improves: [{ criterion: 'Z99', points: 1 }] })).toEqual([
			'$.improves[0].criterion'
		]);
		expect(paths({ ...valid, improves: [{ criterion: 'T1', points: 0 }] })).toEqual(['$.improves[0].points']);
		expect(paths({ ...valid, improves: [{ criterion: 'T7', points: 4 }] })).toEqual(['$.improves[0].points']);
		expect(
			paths({
				...valid,
				improves: [
					{ criterion: 'T1', points: 1 },
					{ criterion: 'T1', points: 2 }
				]
			})
		).toEqual(['$.improves[1].criterion']);
		expect(paths({ ...valid, improves: [{ criterion: 'T1', points: 1, note: 'x' }] })).toEqual([
			'$.improves[0].note'
		]);
		expect(paths({ ...valid, costPerEnterpriseVnd: 1.5 })).toEqual(['$.costPerEnterpriseVnd']);
		expect(paths({ ...valid, costPerEnterpriseVnd: -5 })).toEqual(['$.costPerEnterpriseVnd']);
		expect(paths({ ...valid, budget: 3 })).toEqual(['$.budget']);
		const { eligibility: _e, ...noElig } = valid;
		void _e;
		expect(paths(noElig)).toEqual(['$.eligibility']);
		expect(paths(null)).toEqual(['$']);
	});

	it('checks eligibility lists against known values', () => {
		const el = (eligibility: unknown) => paths({ ...valid, eligibility });
		expect(el({ sizes: [] })).toEqual(['$.eligibility.sizes']);
		expect(el({ sizes: ['huge'] })).toEqual(['$.eligibility.sizes[0]']);
		expect(el({ levels: ['trung-binh', 'trung-binh'] })).toEqual(['$.eligibility.levels[1]']);
		expect(el({ ownerships: ['state', 'cooperative'] })).toEqual(['$.eligibility.ownerships[1]']);
		expect(el({ sectors: ['mining'] })).toEqual(['$.eligibility.sectors[0]']);
		expect(el({ vsic: ['25a'] })).toEqual(['$.eligibility.vsic[0]']);
		expect(el({ districts: ['x'] })).toEqual(['$.eligibility.districts']);
		expect(el([])).toEqual(['$.eligibility']);
		// Without a sector list any sector id is accepted.
		expect(validateSegmentFilter({ sectors: ['mining'] }, '$')).toEqual([]);
	});

	it('gives every message in Vietnamese and English, naming the value', () => {
		const issues = validateProgramme(
			{ ...valid, improves: [{ criterion: 'T7', points: 4 }], type: 'x' },
			ctx
		);
		for (const i of issues) {
			expect(i.message.vi.length).toBeGreaterThan(10);
			expect(i.message.en.length).toBeGreaterThan(10);
			expect(i.message.vi).not.toBe(i.message.en);
		}
		expect(issues.find((i) => i.path === '$.improves[0].points')?.message).toEqual({
			vi: 'Tiêu chí T7 tối đa 3 điểm; không thể tăng 4 điểm.',
			en: 'Criterion T7 has at most 3 points; it cannot gain 4.'
		});
		expect(() => parseProgramme({ ...valid, type: 'x' }, ctx)).toThrow(TargetingInputError);
	});
});
