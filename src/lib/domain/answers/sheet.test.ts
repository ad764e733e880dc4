import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerRows } from './sheet';
import { generateResponses } from '$lib/domain/generator';

const q = {
	pages: [
		{
			name: 'p1',
			title: { default: 'Profile', vi: 'Hồ sơ' },
			elements: [
				{ type: 'html', name: 'intro', html: '<p>x</p>' },
				{
					type: 'text',
					name: 'revenue',
					inputType: 'number',
					title: { default: 'Revenue', vi: 'Doanh thu' }
				},
				{
					type: 'radiogroup',
					name: 'own',
					title: 'Ownership',
					showOtherItem: true,
					choices: [{ value: 'state', text: { default: 'State', vi: 'Nhà nước' } }]
				},
				{
					type: 'panel',
					name: 'pn',
					elements: [
						{
							type: 'checkbox',
							name: 'certs',
							choices: ['iso9001', { value: 'iso14001', text: 'ISO 14001' }]
						},
						{ type: 'boolean', name: 'rnd', labelTrue: { default: 'Yes', vi: 'Có' } },
						{
							type: 'matrix',
							name: 'm',
							rows: [{ value: 'a', text: { default: 'Design', vi: 'Thiết kế' } }],
							columns: [{ value: 2, text: { default: 'Level 2', vi: 'Mức 2' } }]
						},
						{
							type: 'multipletext',
							name: 'ip',
							items: [{ name: 'patents', title: { default: 'Patents', vi: 'Sáng chế' } }]
						},
						{ type: 'comment', name: 'note' }
					]
				}
			]
		}
	]
};

describe('answerRows', () => {
	it('one row per answered question, in order, with texts in the reader’s language', () => {
		const data = {
			revenue: 250000.5,
			own: 'other',
			'own-Comment': 'Hợp tác xã',
			certs: ['iso9001', 'iso14001'],
			rnd: true,
			m: { a: 2 },
			ip: { patents: 3 },
			note: ''
		};
		expect(answerRows(q, data, 'vi')).toEqual([
			{ page: 'Hồ sơ', code: 'revenue', question: 'Doanh thu', answer: 250000.5 },
			{ page: 'Hồ sơ', code: 'own', question: 'Ownership', answer: 'Hợp tác xã' },
			{ page: 'Hồ sơ', code: 'certs', question: 'certs', answer: 'iso9001; ISO 14001' },
			{ page: 'Hồ sơ', code: 'rnd', question: 'rnd', answer: 'Có' },
			{ page: 'Hồ sơ', code: 'm', question: 'm', answer: 'Thiết kế: Mức 2' },
			{ page: 'Hồ sơ', code: 'ip', question: 'ip', answer: 'Sáng chế: 3' }
		]);
		expect(answerRows(q, { own: 'state', rnd: false }, 'en')).toEqual([
			{ page: 'Profile', code: 'own', question: 'Ownership', answer: 'State' },
			{ page: 'Profile', code: 'rnd', question: 'rnd', answer: 'No' }
		]);
	});

	it('covers every answered question of a real questionnaire', () => {
		const json = JSON.parse(
			readFileSync(join(process.cwd(), 'surveys/mechanical/2025.1/questionnaire.json'), 'utf8')
		);
		const [r] = generateResponses({
			questionnaire: json,
			sector: 'mechanical',
			count: 1,
			seed: 3,
			missingRate: 0
		});
		const rows = answerRows(json, r.answers, 'vi');
		const answered = Object.keys(r.answers).filter((k) => !k.endsWith('-Comment'));
		expect(rows.map((x) => x.code).sort()).toEqual(answered.sort());
		for (const row of rows) {
			expect(row.question).not.toBe('');
			expect(String(row.answer)).not.toMatch(/\[object|undefined/);
		}
	});
});
