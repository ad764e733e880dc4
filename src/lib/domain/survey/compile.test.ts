import { describe, expect, it } from 'vitest';
import { carriedChoices } from './compile';
import type { QuestionDescriptor } from './types';

function question(fields: Partial<QuestionDescriptor>): QuestionDescriptor {
	return {
		choices: null,
		otherValue: null,
		noneValue: null,
		choicesFrom: null,
		...fields
	} as QuestionDescriptor;
}

describe('carriedChoices', () => {
	it('compares like Array.prototype.includes (NaN matches NaN) for a single source answer', () => {
		const source = question({ choices: ['a', NaN] as never });
		const selected = question({ choicesFrom: { source: 'src', mode: 'selected' } });
		const unselected = question({ choicesFrom: { source: 'src', mode: 'unselected' } });
		for (const [q, sourceValue, v, offered] of [
			[selected, NaN, NaN, true],
			[unselected, NaN, NaN, false],
			[selected, [NaN], NaN, true],
			[selected, undefined, 'a', false],
			[unselected, undefined, 'a', true]
		] as const)
			expect(carriedChoices(q, source, sourceValue).includes(v as never)).toBe(offered);
	});
});
