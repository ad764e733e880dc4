import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { admitQuestionnaire, MAX_ELEMENTS } from './admit';

const form = (elements: unknown[], extra: Record<string, unknown> = {}) => ({
	pages: [{ name: 'p1', elements }],
	...extra
});

/** Letters of Vietnamese text and what may legitimately stay untranslated (names, code, symbols). */
function englishWords(vi: string): string[] {
	const stripped = vi
		.replace(/"[^"]*"/g, ' ') // quoted names and expressions
		.replace(/\{[^}]*\}/g, ' ')
		.replace(/\b\w+\(\)/g, ' ') // function names
		.replace(/\b(visibleIf|enableIf|requiredIf|tagbox|checkbox|text|MB|kB)\b/g, ' ');
	return stripped.match(/\b(the|is|not|of|in|by|and|use|question|function|supported|server)\b/gi) ?? [];
}

describe('admitQuestionnaire', () => {
	it('admits every shipped questionnaire and test fixture', () => {
		const files: string[] = readdirSync(join(__dirname, 'fixtures')).map((f) =>
			join(__dirname, 'fixtures', f)
		);
		const root = join(process.cwd(), 'surveys');
		for (const sector of readdirSync(root, { withFileTypes: true })) {
			if (!sector.isDirectory()) continue;
			for (const v of readdirSync(join(root, sector.name))) {
				const f = join(root, sector.name, v, 'questionnaire.json');
				if (existsSync(f)) files.push(f);
			}
		}
		expect(files.length).toBeGreaterThan(4);
		for (const f of files) expect(admitQuestionnaire(JSON.parse(readFileSync(f, 'utf8'))), f).toBeNull();
	});

	it('refuses cyclic visibleIf/enableIf/requiredIf references, naming the cycle', () => {
		const r = admitQuestionnaire(
			form([
				{ type: 'text', name: 'a', visibleIf: '{c} notempty' },
				{ type: 'text', name: 'b', enableIf: '{a} = 1' },
				{ type: 'text', name: 'c', requiredIf: '{b} > 2' }
			])
		);
		expect(r?.text.en).toMatch(/form a cycle: "a" → "c" → "b" → "a"/);
		expect(r?.text.vi).toMatch(
			/^Các điều kiện visibleIf\/enableIf\/requiredIf tạo thành vòng lặp: "a" → "c" → "b" → "a"/
		);
		// Through a panel: the panel is shown only when a question inside it is answered.
		const panel = admitQuestionnaire(
			form([{ type: 'panel', name: 'pn', visibleIf: '{x} = 1', elements: [{ type: 'text', name: 'x' }] }])
		);
		expect(panel?.text.en).toMatch(/"x" → "x"/);
		// A question depending on itself.
		expect(admitQuestionnaire(form([{ type: 'text', name: 's', requiredIf: '{s} empty' }]))?.text.en).toMatch(
			/"s" → "s"/
		);
		// Chains without a cycle stay allowed.
		expect(
			admitQuestionnaire(
				form([
					{ type: 'text', name: 'a' },
					{ type: 'text', name: 'b', visibleIf: '{a} = 1' },
					{ type: 'text', name: 'c', visibleIf: '{a} = 1 and {b} = 2', requiredIf: '{b} = 2' }
				])
			)
		).toBeNull();
	});

	it('refuses an unknown function with a message wholly in Vietnamese in vi', () => {
		const r = admitQuestionnaire(
			form([
				{ type: 'text', name: 'zz', visibleIf: 'evil({zz2})' },
				{ type: 'text', name: 'zz2' }
			])
		);
		expect(r?.text.vi).toMatch(
			/^Câu hỏi "zz" visibleIf: hàm evil\(\) trong "evil\(\{zz2\}\)" không được máy chủ hỗ trợ/
		);
		expect(englishWords(r?.text.vi ?? '')).toEqual([]);
		expect(r?.text.en).toMatch(/^Question "zz" visibleIf: the function evil\(\)/);
		// The other expression refusals too.
		for (const bad of [
			form([{ type: 'text', name: 'a', visibleIf: '{nope} = 1' }]),
			form([{ type: 'text', name: 'a', visibleIf: '{$survey} = 1' }]),
			form([{ type: 'text', name: 'a', visibleIf: '{a} = = 1' }])
		]) {
			const refusal = admitQuestionnaire(bad);
			expect(refusal?.text.vi).toMatch(/^Câu hỏi "a" visibleIf: /);
			expect(englishWords(refusal?.text.vi ?? ''), refusal?.text.vi).toEqual([]);
		}
	});

	it('refuses prototype keys and oversized forms', () => {
		const proto = JSON.parse(
			'{"pages":[{"name":"p","elements":[{"type":"text","name":"a","constructor":{"x":1}}]}]}'
		);
		expect(admitQuestionnaire(proto)?.path).toBe('$.pages[0].elements[0].constructor');
		const many = form(Array.from({ length: 10_000 }, (_, i) => ({ type: 'text', name: `q${i}` })));
		const r = admitQuestionnaire(many);
		expect(r?.text.vi).toBe(
			`Bảng hỏi có hơn ${MAX_ELEMENTS} câu hỏi và nhóm; hãy chia thành nhiều bảng hỏi.`
		);
	});
});
