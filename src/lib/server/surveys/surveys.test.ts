import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RubricValidationError } from '../../domain/rubric';
import {
	clearSurveyCache,
	lintAll,
	listSectors,
	listSurveyIds,
	listVersions,
	listWards,
	loadSurvey,
	surveysDir
} from './index';

describe('survey loader', () => {
	it('finds the three sectors with their VSIC divisions, and one version each', () => {
		const sectors = listSectors();
		expect(sectors.map((s) => [s.id, s.vsicDivisions])).toEqual([
			['mechanical', ['25', '28']],
			['food', ['10']],
			['textiles', ['13', '14']]
		]);
		for (const s of sectors) {
			expect(
				s.vsic.every((v) => /^\d{4}$/.test(v.code) && s.vsicDivisions.includes(v.code.slice(0, 2)))
			).toBe(true);
			// 2026.1 adds the equipment list; 2025.1 stays for the campaigns and scores that use it.
			expect(listVersions(s.id)).toEqual(['2025.1', '2026.1']);
		}
		expect(listSurveyIds()).toEqual([
			'mechanical/2025.1',
			'mechanical/2026.1',
			'food/2025.1',
			'food/2026.1',
			'textiles/2025.1',
			'textiles/2026.1'
		]);
		expect(listWards().length).toBeGreaterThanOrEqual(20);
	});

	it('lint passes on every shipped questionnaire, rubric and reference-value file', () => {
		expect(lintAll()).toEqual([]);
	});

	it('loads, caches and picks reference values by year', () => {
		const s = loadSurvey('food/2025.1');
		expect(loadSurvey('food/2025.1')).toBe(s);
		expect([...s.referenceValues.keys()].sort()).toEqual([2024, 2025, 2026]);
		expect(s.referenceValuesFor().year).toBe(2025);
		expect(s.referenceValuesFor(2030).year).toBe(2026);
		expect(s.referenceValuesFor(2019).year).toBe(2024);
		expect(s.scorer(2026)).toBe(s.scorer(2026));
		expect(
			s
				.scorer()
				.score({})
				.criteria.every((c) => c.missing || c.points === 0)
		).toBe(true);
	});

	it('rejects unknown or unsafe survey ids', () => {
		expect(() => loadSurvey('food/1999.1')).toThrow(
			"unknown survey 'food/1999.1' (known: mechanical/2025.1, mechanical/2026.1, food/2025.1, food/2026.1, textiles/2025.1, textiles/2026.1)"
		);
		expect(() => loadSurvey('../etc/passwd')).toThrow('survey id must be <sector>/<version>');
		expect(() => loadSurvey('food')).toThrow('survey id must be <sector>/<version>');
	});

	describe('with TECHCAP_SURVEYS_DIR and a broken copy', () => {
		const dir = mkdtempSync(join(tmpdir(), 'techcap-surveys-'));
		cpSync(surveysDir(), dir, { recursive: true });
		afterAll(() => {
			delete process.env.TECHCAP_SURVEYS_DIR;
			clearSurveyCache();
			rmSync(dir, { recursive: true, force: true });
		});

		it('reads the configured folder and refuses an invalid version with every issue listed', () => {
			process.env.TECHCAP_SURVEYS_DIR = dir;
			expect(surveysDir()).toBe(dir);
			writeFileSync(join(dir, 'textiles/2025.1/rubric.json'), '{ not json');
			expect(() => loadSurvey('textiles/2025.1')).toThrow(RubricValidationError);
			expect(() => loadSurvey('textiles/2025.1')).toThrow(/rubric\.json: \$: invalid JSON/);
			expect(loadSurvey('mechanical/2025.1').dir).toBe(join(dir, 'mechanical/2025.1'));
		});
	});
});
