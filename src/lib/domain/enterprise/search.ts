/**
 * Finding a register entry the way staff type it: without tone marks, in any case, words in any
 * order ("co khi ha noi" finds "Công ty Cơ khí Hà Nội"), or by the start of its tax code.
 */

/** Lower-case, tone marks and diacritics removed (đ → d), runs of spaces and punctuation as one space. */
export function foldText(s: string): string {
	return s
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[đĐ]/g, 'd')
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim();
}

/** The words of a query, folded; empty when it has none. */
export function queryWords(q: string): string[] {
	const f = foldText(q);
	return f ? f.split(' ') : [];
}

/**
 * Whether a register entry matches a query: every word of the query is in its folded name, or the
 * query (digits, optionally with the branch suffix) starts its tax code.
 */
export function registerEntryMatches(entry: { name: string; taxCode: string }, q: string): boolean {
	const raw = q.trim();
	if (!raw) return true;
	if (/^[\d-]+$/.test(raw)) return entry.taxCode.startsWith(raw);
	const words = queryWords(raw);
	if (!words.length) return false;
	const name = foldText(entry.name);
	return words.every((w) => name.includes(w));
}
