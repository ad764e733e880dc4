/**
 * Random responses for a compiled questionnaire (fast-check), for the differential test, the
 * benchmark and import tests. Test support only: production code must not import this file.
 *
 * `inDomain` responses only hold values the form itself could produce (right kinds, known
 * choices), yet still miss required answers, cross min/max and validator bounds, answer invisible
 * questions and pick carried-forward choices that are no longer offered. `wild` responses add
 * what only a hostile or broken client sends.
 */
import fc from 'fast-check';
import { carriedChoices } from './compile';
import type {
	ChoiceValue,
	ColumnDescriptor,
	CompiledQuestionnaire,
	QuestionDescriptor,
	TextRules
} from './types';

const STRINGS = [
	'',
	' ',
	'a',
	'ab',
	'abc',
	'ABC',
	'ab1',
	'Nguyễn Văn A',
	'0123456789',
	'0123456789-123',
	'012345678',
	'x@y.vn',
	'info@congty.com.vn',
	'bad@',
	'a@b',
	' a@b.vn ',
	'+84 912 345 678',
	'12',
	'Công nghệ tự động hoá dây chuyền sản xuất'
];

function textArb(rules: TextRules, wild: boolean): fc.Arbitrary<unknown> {
	if (rules.inputType === 'number') {
		const lo = rules.min ?? -10;
		const hi = rules.max ?? (rules.min ?? 0) + 200;
		const edges = [lo, hi, lo - 1, hi + 1, 0, -1, (lo + hi) / 2, lo + 0.5, hi - 0.25];
		const nums: fc.Arbitrary<unknown>[] = [
			fc.constantFrom(...edges),
			fc.integer({ min: Math.floor(lo) - 3, max: Math.ceil(hi) + 3 }),
			// Subnormal magnitudes (< 1e-300) come out differently from survey-core's expression
			// arithmetic; no real answer is that small, so decimals stay above 1e-6.
			fc
				.double({ min: lo - 5, max: hi + 5, noNaN: true, noDefaultInfinity: true })
				.map((x) => (Math.abs(x) < 1e-6 ? 0 : x)),
			fc.constant('')
		];
		if (wild) nums.push(fc.constantFrom('12', 'abc', ' ', '1e3', String(hi + 1), true, [1], { a: 1 }, null));
		return fc.oneof(...nums);
	}
	if (rules.inputType === 'date' || rules.inputType === 'month' || rules.inputType === 'datetime-local') {
		const good =
			rules.inputType === 'date'
				? ['2024-02-29', '2025-01-01', '1999-12-31', '2025-12-07']
				: rules.inputType === 'month'
					? ['2024-02', '2025-12', '1999-01']
					: ['2024-02-29T23:59', '2025-01-01T00:00', '2025-12-07T08:30:15'];
		// Near misses: impossible days and months, unpadded, other orders, a date for a month.
		const near = [
			'2025-02-29',
			'2024-13-01',
			'2024-2-3',
			'31/12/2024',
			'2024-00',
			'2024-02-29T00:00',
			'0999-01-01',
			'2025-02-29T10:00',
			'2024-01-01T24:00',
			'2024-01-01 08:30',
			'2024-01-01T8:30',
			'2024-01-01T08:30Z',
			'2024-01-01T08:30+07:00'
		];
		return wild
			? fc.oneof(fc.constantFrom(...good, ...near), fc.constantFrom(20240101, null, ['2024-01-01']))
			: fc.oneof(fc.constantFrom(...good), fc.constant(''));
	}
	const max = rules.maxLength ?? 60;
	const pool = wild ? STRINGS : STRINGS.filter((x) => x.length <= max);
	const arbs: fc.Arbitrary<unknown>[] = [
		fc.constantFrom(...pool),
		fc.string({ maxLength: Math.min(12, max) }),
		fc.constant('x'.repeat(Math.min(max, 200)))
	];
	if (wild) arbs.push(fc.constantFrom(12, false, ['a'], { $gt: '' }, null, 'z'.repeat(max + 5)));
	return fc.oneof(...arbs);
}

function choicePool(c: CompiledQuestionnaire, q: QuestionDescriptor): ChoiceValue[] {
	if (q.choices && !q.choicesFrom) return [...q.choices, ...extras(q)];
	const src = q.choicesFrom ? c.byName.get(q.choicesFrom.source) : undefined;
	const pool: ChoiceValue[] = [...(src?.choices ?? [])];
	if (src?.otherValue != null) pool.push(src.otherValue);
	return [...pool, ...extras(q)];
}

function extras(q: QuestionDescriptor): ChoiceValue[] {
	const out: ChoiceValue[] = [];
	if (q.otherValue !== null) out.push(q.otherValue);
	if (q.noneValue !== null) out.push(q.noneValue);
	return out;
}

const WILD_CHOICES = ['zz', 99, '1', 'other ', true];

/** One matrix cell: what its editor produces, plus near misses when wild. */
function cellArb(col: ColumnDescriptor, wild: boolean): fc.Arbitrary<unknown> {
	if (col.text) return textArb(col.text, wild);
	const pool = col.choices ?? [];
	if (col.cellType === 'checkbox') {
		const plain = pool.filter((x) => x !== col.noneValue);
		const arbs: fc.Arbitrary<unknown>[] = [fc.subarray(plain, { maxLength: Math.min(plain.length, 3) })];
		if (col.noneValue !== null) arbs.push(fc.constant([col.noneValue]));
		if (wild) arbs.push(fc.constantFrom(['zz'], [pool[0], pool[0]], 'x', [null]));
		return fc.oneof(...arbs);
	}
	const arbs: fc.Arbitrary<unknown>[] = [fc.constantFrom(...pool)];
	if (wild) arbs.push(fc.constantFrom('zz', 99, String(pool[0]), ['a'], null, ''));
	return fc.oneof(...arbs);
}

function rowArb(q: QuestionDescriptor, wild: boolean): fc.Arbitrary<unknown> {
	const cols = q.matrix?.columns ?? [];
	const rec = fc.record(Object.fromEntries(cols.map((col) => [col.name, cellArb(col, wild)])), {
		requiredKeys: [],
		noNullPrototype: true
	});
	// Mostly filled rows, so that the comparisons often reach the validators.
	const full = fc.record(Object.fromEntries(cols.map((col) => [col.name, cellArb(col, wild)])), {
		noNullPrototype: true
	});
	if (!wild) return fc.oneof({ arbitrary: full, weight: 3 }, { arbitrary: rec, weight: 2 });
	return fc.oneof(full, rec, fc.constantFrom(null, 'row', [1], { bogus_col: 1 }));
}

function valueArb(
	c: CompiledQuestionnaire,
	q: QuestionDescriptor,
	wild: boolean
): fc.Arbitrary<unknown> | null {
	switch (q.type) {
		case 'text':
		case 'comment':
			return textArb(q.text as TextRules, wild);
		case 'radiogroup':
		case 'dropdown':
		case 'rating':
		case 'boolean': {
			const pool = q.type === 'radiogroup' || q.type === 'dropdown' ? choicePool(c, q) : (q.choices ?? []);
			const arbs: fc.Arbitrary<unknown>[] = [fc.constantFrom(...pool)];
			if (q.customChoices) {
				// Typed answers, including near misses of the listed choices (case, spaces).
				const near = pool.filter((x) => typeof x === 'string').flatMap((x) => [x.toUpperCase(), ` ${x}`]);
				arbs.push(fc.constantFrom('Máy tự chế', 'other', ...near), fc.string({ maxLength: 10 }));
			}
			const nums = q.type === 'dropdown' ? pool.filter((x): x is number => typeof x === 'number') : [];
			if (nums.length && wild) {
				// Near misses of generated choices (choicesMin/choicesMax): one step out, as text, halfway.
				const lo = Math.min(...nums);
				const hi = Math.max(...nums);
				arbs.push(fc.constantFrom(lo - 1, hi + 1, String(lo), lo + 0.5));
			}
			if (q.type === 'rating' && q.choices?.every((x) => typeof x === 'number')) {
				const nums = q.choices as number[];
				arbs.push(fc.constantFrom(Math.min(...nums), Math.max(...nums)));
				if (wild) arbs.push(fc.constantFrom(Math.min(...nums) - 1, Math.max(...nums) + 1, String(nums[0])));
			}
			if (wild) arbs.push(fc.constantFrom(...WILD_CHOICES, ['a'], { x: 1 }));
			return fc.oneof(...arbs);
		}
		case 'checkbox':
		case 'tagbox': {
			const pool = choicePool(c, q);
			const plain = pool.filter((x) => x !== q.noneValue);
			const prop = q.valueProperty;
			if (prop) {
				// valuePropertyName: each choice stored as { [prop]: value }.
				const wrap = (xs: ChoiceValue[]) => xs.map((x) => ({ [prop]: x }));
				const arbs: fc.Arbitrary<unknown>[] = [
					fc.subarray(plain, { maxLength: Math.min(plain.length, 4) }).map(wrap),
					fc.subarray(plain).map(wrap)
				];
				if (wild)
					arbs.push(
						fc.subarray(plain, { minLength: 1 }),
						fc.constantFrom([{ [prop]: 'zz' }], [{ other: plain[0] }], [{ [prop]: plain[0], x: 1 }], 'erp')
					);
				return fc.oneof(...arbs);
			}
			const arbs: fc.Arbitrary<unknown>[] = [
				fc.subarray(plain, { minLength: 0, maxLength: Math.min(plain.length, 4) }),
				fc.subarray(plain)
			];
			if (q.noneValue !== null) arbs.push(fc.constant([q.noneValue]));
			if (wild) {
				arbs.push(fc.array(fc.constantFrom(...pool, ...WILD_CHOICES), { maxLength: 4 }));
				arbs.push(fc.constantFrom('erp', 3, { a: 1 }));
			}
			return fc.oneof(...arbs);
		}
		case 'matrix': {
			const rows = q.rows ?? [];
			const cols = q.choices ?? [];
			const cell = wild
				? fc.oneof(fc.constantFrom(...cols), fc.constantFrom('zz', 99, '', ' '))
				: fc.constantFrom(...cols);
			const rec = fc.record(Object.fromEntries(rows.map((r) => [r, cell])), {
				requiredKeys: [],
				noNullPrototype: true
			});
			if (!wild)
				return fc.oneof(
					rec,
					fc.record(Object.fromEntries(rows.map((r) => [r, cell])), { noNullPrototype: true })
				);
			return fc.oneof(rec, fc.constantFrom({ bogus_row: cols[0] }, 'text', [1]));
		}
		case 'multipletext': {
			const items = q.items ?? [];
			const rec = fc.record(Object.fromEntries(items.map((it) => [it.name, textArb(it, wild)])), {
				requiredKeys: [],
				noNullPrototype: true
			});
			return wild ? fc.oneof(rec, fc.constantFrom({ bogus: 'x' }, 'text')) : rec;
		}
		case 'matrixdynamic':
		case 'paneldynamic': {
			const m = q.matrix as NonNullable<QuestionDescriptor['matrix']>;
			// Around the row limits: none, fewer than minRowCount, up to one more than maxRowCount.
			const most = Math.min(m.maxRowCount + (wild ? 1 : 0), Math.max(m.minRowCount + 2, 4));
			const rows = fc.array(rowArb(q, wild), { minLength: 0, maxLength: most });
			return wild ? fc.oneof(rows, fc.constantFrom({ a: 1 }, 'text', 3)) : rows;
		}
		case 'matrixdropdown': {
			const rows = q.rows ?? [];
			const rec = fc.record(Object.fromEntries(rows.map((r) => [r, rowArb(q, wild)])), {
				requiredKeys: [],
				noNullPrototype: true
			});
			return wild ? fc.oneof(rec, fc.constantFrom({ bogus_row: {} }, [{}], 'text')) : rec;
		}
		case 'expression':
			// The form posts computed values too; the server must ignore them.
			return fc.constantFrom(999, 0, 'x');
		case 'html':
			return null;
	}
}

/** A response arbitrary: every key optional, so required answers go missing often. */
export function responseArbitrary(
	c: CompiledQuestionnaire,
	opts: { wild?: boolean } = {}
): fc.Arbitrary<Record<string, unknown>> {
	const wild = opts.wild === true;
	const fields: Record<string, fc.Arbitrary<unknown>> = {};
	for (const q of c.questions) {
		const arb = valueArb(c, q, wild);
		if (!arb) continue;
		fields[q.name] = arb;
		if (wild && q.matrix?.totalKey) {
			// A client may post totals of its own; the server recomputes them.
			const cols = q.matrix.columns.filter((col) => col.totalType).map((col) => col.name);
			fields[q.matrix.totalKey] = fc.constantFrom(Object.fromEntries(cols.map((n) => [n, 999])), {});
		}
		if (q.commentKey) {
			fields[q.commentKey] = wild
				? fc.oneof(fc.constantFrom('', ' ', 'chi tiết khác'), fc.string({ maxLength: 8 }), fc.constant(5))
				: fc.oneof(fc.constantFrom('', ' ', 'chi tiết khác'), fc.string({ maxLength: 8 }));
		}
	}
	if (wild) {
		fields['unknown_key'] = fc.constantFrom(1, 'x');
		fields['$where'] = fc.constant('1');
	}
	const base = fc.record(fields, { requiredKeys: [], noNullPrototype: true });
	const carried = c.questions.filter((q) => q.choicesFrom);
	if (!carried.length) return base;
	// Usually answer a carried-forward question from what its source offers now.
	return base.chain((d) => {
		const picks: Record<string, fc.Arbitrary<unknown>> = {};
		for (const q of carried) {
			const src = c.byName.get(q.choicesFrom?.source ?? '') as QuestionDescriptor;
			const offered = carriedChoices(q, src, d[src.name]);
			if (!(q.name in d) || !offered.length) continue;
			const pick =
				q.type === 'checkbox' || q.type === 'tagbox' ? fc.subarray(offered) : fc.constantFrom(...offered);
			picks[q.name] = fc.oneof(
				{ arbitrary: pick, weight: 4 },
				{ arbitrary: fc.constant(d[q.name]), weight: 1 }
			);
		}
		return fc.record(picks, { noNullPrototype: true }).map((p) => ({ ...d, ...p }));
	});
}

/** A dense response: nearly every question answered with in-domain values (for the benchmark). */
export function denseResponseArbitrary(c: CompiledQuestionnaire): fc.Arbitrary<Record<string, unknown>> {
	const fields: Record<string, fc.Arbitrary<unknown>> = {};
	for (const q of c.questions) {
		const arb = valueArb(c, q, false);
		if (arb && q.type !== 'expression') fields[q.name] = arb;
	}
	return fc.record(fields, { noNullPrototype: true });
}
