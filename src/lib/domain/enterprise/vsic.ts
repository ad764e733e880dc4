import type { Bilingual } from './labels';
import type { SectorKind } from './size';

/**
 * VSIC 2018 (Decision 27/2018/QĐ-TTg) sections by 2-digit division; identical to ISIC Rev.4.
 * Ranges are inclusive.
 */
const SECTIONS: ReadonlyArray<readonly [string, number, number, Bilingual]> = [
	['A', 1, 3, { vi: 'Nông nghiệp, lâm nghiệp và thủy sản', en: 'Agriculture, forestry and fishing' }],
	['B', 5, 9, { vi: 'Khai khoáng', en: 'Mining and quarrying' }],
	['C', 10, 33, { vi: 'Công nghiệp chế biến, chế tạo', en: 'Manufacturing' }],
	[
		'D',
		35,
		35,
		{
			vi: 'Sản xuất và phân phối điện, khí đốt, nước nóng, hơi nước và điều hòa không khí',
			en: 'Electricity, gas, steam and air conditioning supply'
		}
	],
	[
		'E',
		36,
		39,
		{
			vi: 'Cung cấp nước; hoạt động quản lý và xử lý rác thải, nước thải',
			en: 'Water supply; sewerage, waste management and remediation'
		}
	],
	['F', 41, 43, { vi: 'Xây dựng', en: 'Construction' }],
	[
		'G',
		45,
		47,
		{
			vi: 'Bán buôn và bán lẻ; sửa chữa ô tô, mô tô, xe máy và xe có động cơ khác',
			en: 'Wholesale and retail trade; repair of motor vehicles and motorcycles'
		}
	],
	['H', 49, 53, { vi: 'Vận tải kho bãi', en: 'Transportation and storage' }],
	['I', 55, 56, { vi: 'Dịch vụ lưu trú và ăn uống', en: 'Accommodation and food service' }],
	['J', 58, 63, { vi: 'Thông tin và truyền thông', en: 'Information and communication' }],
	[
		'K',
		64,
		66,
		{ vi: 'Hoạt động tài chính, ngân hàng và bảo hiểm', en: 'Financial and insurance activities' }
	],
	['L', 68, 68, { vi: 'Hoạt động kinh doanh bất động sản', en: 'Real estate activities' }],
	[
		'M',
		69,
		75,
		{
			vi: 'Hoạt động chuyên môn, khoa học và công nghệ',
			en: 'Professional, scientific and technical activities'
		}
	],
	['N', 77, 82, { vi: 'Hoạt động hành chính và dịch vụ hỗ trợ', en: 'Administrative and support services' }],
	['O', 84, 84, { vi: 'Quản lý nhà nước, an ninh quốc phòng', en: 'Public administration and defence' }],
	['P', 85, 85, { vi: 'Giáo dục và đào tạo', en: 'Education' }],
	['Q', 86, 88, { vi: 'Y tế và hoạt động trợ giúp xã hội', en: 'Human health and social work' }],
	['R', 90, 93, { vi: 'Nghệ thuật, vui chơi và giải trí', en: 'Arts, entertainment and recreation' }],
	['S', 94, 96, { vi: 'Hoạt động dịch vụ khác', en: 'Other service activities' }],
	[
		'T',
		97,
		98,
		{ vi: 'Hoạt động làm thuê trong các hộ gia đình', en: 'Activities of households as employers' }
	],
	[
		'U',
		99,
		99,
		{ vi: 'Hoạt động của các tổ chức và cơ quan quốc tế', en: 'Extraterritorial organisations and bodies' }
	]
];

/** Manufacturing divisions named in METHODOLOGY §6 (others fall back to their code). */
export const MANUFACTURING_DIVISION_LABELS: Record<string, Bilingual> = {
	'10': { vi: 'Sản xuất, chế biến thực phẩm', en: 'Food products' },
	'13': { vi: 'Dệt', en: 'Textiles' },
	'14': { vi: 'Sản xuất trang phục', en: 'Wearing apparel' },
	'25': { vi: 'Sản xuất sản phẩm từ kim loại đúc sẵn', en: 'Fabricated metal products' },
	'26': {
		vi: 'Sản xuất sản phẩm điện tử, máy vi tính và sản phẩm quang học',
		en: 'Computer, electronic and optical products'
	},
	'27': { vi: 'Sản xuất thiết bị điện', en: 'Electrical equipment' },
	'28': { vi: 'Sản xuất máy móc, thiết bị chưa được phân vào đâu', en: 'Machinery and equipment n.e.c.' }
};

export type VsicResult =
	{ ok: true; value: string; error?: undefined } | { ok: false; value?: undefined; error: Bilingual };

/** Validate a VSIC 2018 4-digit code (kept as a string: '0111' has a leading zero). */
export function parseVsic4(input: unknown): VsicResult {
	const s = typeof input === 'string' ? input.trim() : '';
	if (!/^\d{4}$/.test(s)) {
		return {
			ok: false,
			error: {
				vi: `Mã VSIC "${String(input)}" không hợp lệ: cần đúng 4 chữ số (ví dụ 1071).`,
				en: `VSIC code "${String(input)}" is invalid: expected exactly 4 digits (e.g. 1071).`
			}
		};
	}
	if (!vsicSection(s.slice(0, 2))) {
		return {
			ok: false,
			error: {
				vi: `Mã VSIC "${s}": ngành cấp 2 "${s.slice(0, 2)}" không tồn tại trong VSIC 2018.`,
				en: `VSIC code "${s}": division "${s.slice(0, 2)}" does not exist in VSIC 2018.`
			}
		};
	}
	return { ok: true, value: s };
}

/** 2-digit division of a VSIC code of 2–5 digits ('1071' → '10'); throws on a malformed code. */
export function vsicDivision(code: string): string {
	if (!/^\d{2,5}$/.test(code)) throw new RangeError(`VSIC code "${code}" must have 2 to 5 digits`);
	return code.slice(0, 2);
}

/** Section letter (A–U) of a VSIC code or division, or null when the division is unassigned. */
export function vsicSection(code: string): { letter: string; label: Bilingual } | null {
	const div = Number(vsicDivision(code));
	for (const [letter, lo, hi, label] of SECTIONS) {
		if (div >= lo && div <= hi) return { letter, label };
	}
	return null;
}

export function isManufacturing(code: string): boolean {
	return vsicSection(code)?.letter === 'C';
}

/**
 * Decree 80/2021 sector group for size thresholds: sections A–F (agriculture, mining, manufacturing,
 * utilities, construction) use the 'industry' limits, the rest 'trade' (trade and services).
 */
export function sectorKindOfVsic(code: string): SectorKind | null {
	const s = vsicSection(code);
	if (!s) return null;
	return s.letter <= 'F' ? 'industry' : 'trade';
}
