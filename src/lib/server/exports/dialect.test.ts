import { describe, expect, it } from 'vitest';
import { codebookCsv } from './index';
import { listSurveyIds } from '../surveys';

const surveyId = listSurveyIds().find((id) => id.startsWith('mechanical/'))!;

describe('the codebook in both CSV dialects', () => {
	it('Vietnamese by default: BOM, ";" between fields (Excel on Vietnamese Windows splits on it)', () => {
		const csv = codebookCsv(surveyId, 'vi');
		expect(csv.charCodeAt(0)).toBe(0xfeff);
		const head = csv.slice(1).split('\r\n')[0];
		expect(head.split(';').length).toBeGreaterThanOrEqual(5);
		expect(head).not.toContain(',');
	});

	it('standard on request, whatever the language; English defaults to standard', () => {
		const head = (csv: string) => csv.slice(1).split('\r\n')[0];
		expect(head(codebookCsv(surveyId, 'vi', 'standard')).split(',').length).toBeGreaterThanOrEqual(5);
		expect(head(codebookCsv(surveyId, 'en')).split(',')).toContain('Variable');
		expect(head(codebookCsv(surveyId, 'en', 'excel-vi')).split(';')).toContain('Variable');
	});
});
