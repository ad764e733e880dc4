import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { carriedChoices, offersCarriedChoice } from './compile';
import type { QuestionDescriptor } from './types';

// Small value pools so that answers, choices and the special items often coincide.
const value = fc.constantFrom<unknown>('a', 'b', 'c', 'other', 'none', 1, 2, NaN, 0, -0, null, undefined);
const choiceList = fc.array(fc.constantFrom<unknown>('a', 'b', 'c', 1, 2, NaN, 0), { maxLength: 5 });
const special = fc.constantFrom<unknown>(null, 'other', 'none', NaN);

function question(fields: Partial<QuestionDescriptor>): QuestionDescriptor {
	return {
		choices: null,
		otherValue: null,
		noneValue: null,
		choicesFrom: null,
		...fields
	} as QuestionDescriptor;
}

describe('offersCarriedChoice', () => {
	it('answers what carriedChoices(...).includes(v) answers', () => {
		fc.assert(
			fc.property(
				choiceList,
				special,
				special,
				special,
				fc.constantFrom('all', 'selected', 'unselected'),
				fc.oneof(value, fc.array(value, { maxLength: 4 })),
				value,
				(choices, sourceOther, qOther, qNone, mode, sourceValue, v) => {
					const source = question({ choices: choices as never, otherValue: sourceOther as never });
					const q = question({
						otherValue: qOther as never,
						noneValue: qNone as never,
						choicesFrom: { source: 'src', mode: mode as 'all' | 'selected' | 'unselected' }
					});
					expect(offersCarriedChoice(q, source, sourceValue, v)).toBe(
						carriedChoices(q, source, sourceValue).includes(v as never)
					);
				}
			),
			{ numRuns: 3000 }
		);
	});

	it('compares like Array.prototype.includes (NaN matches NaN) for a single source answer', () => {
		const source = question({ choices: ['a', NaN] as never });
		const selected = question({ choicesFrom: { source: 'src', mode: 'selected' } });
		const unselected = question({ choicesFrom: { source: 'src', mode: 'unselected' } });
		for (const [q, sourceValue, v] of [
			[selected, NaN, NaN],
			[unselected, NaN, NaN],
			[selected, [NaN], NaN],
			[selected, undefined, 'a'],
			[unselected, undefined, 'a']
		] as const)
			expect(offersCarriedChoice(q, source, sourceValue, v)).toBe(
				carriedChoices(q, source, sourceValue).includes(v as never)
			);
	});
});
