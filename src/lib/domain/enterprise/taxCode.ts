import type { Bilingual } from './labels';

export type TaxCodeResult =
	{ ok: true; value: string; error?: undefined } | { ok: false; value?: undefined; error: Bilingual };

/**
 * Parse an enterprise tax code (mã số thuế): 10 digits, or 10 digits + '-' + 3 digits for a dependent unit.
 * Normalises to 'NNNNNNNNNN' or 'NNNNNNNNNN-NNN'. Accepts surrounding/inner spaces, dots, an en dash as
 * separator and the 13-digit form without separator. Checks the format only: the check digit is NOT
 * enforced (see {@link taxCodeChecksumValid}), because the rule is not verified from an official source.
 */
export function parseTaxCode(input: unknown): TaxCodeResult {
	if (typeof input === 'number') {
		return {
			ok: false,
			error: {
				vi: 'Mã số thuế phải là chuỗi ký tự (số sẽ làm mất số 0 ở đầu).',
				en: 'The tax code must be text (a number loses leading zeros).'
			}
		};
	}
	if (typeof input !== 'string' || input.trim() === '') {
		return { ok: false, error: { vi: 'Thiếu mã số thuế.', en: 'The tax code is missing.' } };
	}
	const compact = input.replace(/[\s.]/g, '').replace(/[–—]/g, '-');
	let m = /^(\d{10})(?:-(\d{3}))?$/.exec(compact);
	if (!m) m = /^(\d{10})(\d{3})$/.exec(compact);
	if (!m) {
		return {
			ok: false,
			error: {
				vi: `Mã số thuế "${input}" sai định dạng: cần 10 chữ số, hoặc 10 chữ số + "-" + 3 chữ số với đơn vị phụ thuộc (ví dụ 0101234567-001).`,
				en: `Tax code "${input}" has the wrong format: expected 10 digits, or 10 digits + "-" + 3 digits for a dependent unit (e.g. 0101234567-001).`
			}
		};
	}
	return { ok: true, value: m[2] ? `${m[1]}-${m[2]}` : m[1] };
}

const WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3];

/**
 * The mod-11 check digit rule in common use (weights 31,29,23,19,17,13,7,5,3 on the first 9 digits;
 * 10th digit = 10 − (sum mod 11)). It holds for well-known codes (e.g. 0100109106, 0300588569) but we have
 * no official text for it, so it is informative only.
 * Returns null when the input is not a well-formed code, or when sum mod 11 = 0 (the rule yields "10",
 * which is not a digit, and sources disagree about that case).
 */
export function taxCodeChecksumValid(code: string): boolean | null {
	const parsed = parseTaxCode(code);
	if (!parsed.ok) return null;
	const d = parsed.value.slice(0, 10);
	let sum = 0;
	for (let i = 0; i < 9; i++) sum += WEIGHTS[i] * Number(d[i]);
	const r = sum % 11;
	if (r === 0) return null;
	return 10 - r === Number(d[9]);
}
