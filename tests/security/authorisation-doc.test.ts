import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOC, documentWithMatrix, renderMatrix } from './authorisation-doc';

describe('docs/authorisation.md', () => {
	it('shows the matrix exactly as ACCESS_RULES and src/routes define it', () => {
		const doc = readFileSync(DOC, 'utf8');
		expect(
			documentWithMatrix(doc) === doc,
			'docs/authorisation.md is out of date: run `npx tsx tests/security/authorisation-doc.ts --write`'
		).toBe(true);
	});

	it('lists admin routes as admin-only and no route as open by accident', () => {
		const m = renderMatrix();
		// Analysts run campaigns: the campaign list and tracking are theirs too, nothing else.
		const analystToo = (l: string) =>
			/^\| `\/admin\/campaigns(`|\/\[id\]\/tracking)/.test(l) && !l.includes('(form action narrowed)');
		for (const line of m.split('\n').filter((l) => l.startsWith('| `/admin')))
			expect(line).toMatch(
				analystToo(line)
					? /\| login \| 403 \| ✅ \| 403 \| ✅ \|$/
					: /\| login \| 403 \| 403 \| 403 \| ✅ \|$/
			);
	});
});
