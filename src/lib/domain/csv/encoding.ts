/**
 * Detecting and decoding the text encoding of an uploaded CSV, streamed.
 *
 * Vietnamese spreadsheets reach us as UTF-8 (with or without BOM), UTF-16 ("Unicode text" from Excel),
 * Windows-1258 (base letter + combining tone mark) or TCVN3/ABC (a font encoding iconv-lite does not
 * know). We convert what we can convert correctly and explain how to re-save the rest.
 */
import iconv from 'iconv-lite';
import { CsvFileError, type Bilingual, type CsvWarning } from './types';

export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1258';

/** `auto` detects; any other value forces that decoding (the caller "allows" e.g. Windows-1258). */
export type EncodingOption = 'auto' | 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1258';

export type EncodingVerdict =
	| { kind: 'text'; encoding: CsvEncoding; confident: boolean; evidence: string }
	| { kind: 'tcvn3'; evidence: string }
	| { kind: 'unknown-8bit'; evidence: string }
	| { kind: 'excel-workbook'; evidence: string }
	| { kind: 'binary'; evidence: string };

/** Bytes looked at before deciding; extended (up to SNIFF_MAX) while they are plain ASCII. */
export const SNIFF_MIN = 64 * 1024;
export const SNIFF_MAX = 1024 * 1024;

const RESAVE: Bilingual = {
	vi: 'Hãy mở tệp trong Excel, chọn File → Save As (Lưu thành) → kiểu "CSV UTF-8 (Comma delimited) (*.csv)" rồi tải lên lại. Nếu văn bản dùng phông TCVN3 (ABC, .VnTime) hoặc VNI, trước hết hãy chuyển mã sang Unicode bằng công cụ chuyển mã của Unikey (Unikey Toolkit, Ctrl+Shift+F6).',
	en: 'Open the file in Excel, choose File → Save As → "CSV UTF-8 (Comma delimited) (*.csv)" and upload it again. If the text uses TCVN3 (ABC, .VnTime) or VNI fonts, first convert it to Unicode with Unikey\'s converter (Unikey Toolkit, Ctrl+Shift+F6).'
};

// TCVN3 (TCVN 5712:1993 VN3) → Unicode, lower-case plane (.VnTime). Used only to recognise the
// encoding: the same bytes mean capitals in the .VnTimeH font, so a faithful conversion is impossible.
// prettier-ignore
const TCVN3: Record<number, string> = {
	0xa1: 'Ă', 0xa2: 'Â', 0xa3: 'Ê', 0xa4: 'Ô', 0xa5: 'Ơ', 0xa6: 'Ư', 0xa7: 'Đ',
	0xa8: 'ă', 0xa9: 'â', 0xaa: 'ê', 0xab: 'ô', 0xac: 'ơ', 0xad: 'ư', 0xae: 'đ',
	0xb5: 'à', 0xb6: 'ả', 0xb7: 'ã', 0xb8: 'á', 0xb9: 'ạ',
	0xbb: 'ằ', 0xbc: 'ẳ', 0xbd: 'ẵ', 0xbe: 'ắ', 0xc6: 'ặ',
	0xc7: 'ầ', 0xc8: 'ẩ', 0xc9: 'ẫ', 0xca: 'ấ', 0xcb: 'ậ',
	0xcc: 'è', 0xce: 'ẻ', 0xcf: 'ẽ', 0xd0: 'é', 0xd1: 'ẹ',
	0xd2: 'ề', 0xd3: 'ể', 0xd4: 'ễ', 0xd5: 'ế', 0xd6: 'ệ',
	0xd7: 'ì', 0xd8: 'ỉ', 0xdc: 'ĩ', 0xdd: 'í', 0xde: 'ị',
	0xdf: 'ò', 0xe1: 'ỏ', 0xe2: 'õ', 0xe3: 'ó', 0xe4: 'ọ',
	0xe5: 'ồ', 0xe6: 'ổ', 0xe7: 'ỗ', 0xe8: 'ố', 0xe9: 'ộ',
	0xea: 'ờ', 0xeb: 'ở', 0xec: 'ỡ', 0xed: 'ớ', 0xee: 'ợ',
	0xef: 'ù', 0xf1: 'ủ', 0xf2: 'ũ', 0xf3: 'ú', 0xf4: 'ụ',
	0xf5: 'ừ', 0xf6: 'ử', 0xf7: 'ữ', 0xf8: 'ứ', 0xf9: 'ự',
	0xfa: 'ỳ', 0xfb: 'ỷ', 0xfc: 'ỹ', 0xfd: 'ý', 0xfe: 'ỵ'
};

const VN_LETTERS = new Set(
	'abcdefghijklmnopqrstuvwxyzàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ'
);
const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;

/**
 * Share of the words containing non-ASCII characters that look like Vietnamese syllables: only
 * Vietnamese letters and at most one tone mark. Wrong decodings produce symbols (µ · ¸) or stacked tones.
 */
function plausibility(text: string): { words: number; plausible: number } {
	let words = 0;
	let plausible = 0;
	for (const w of text.split(/[\s,;:.!?()"'/\\[\]{}<>=+*&%$#@|_-]+/)) {
		if (!/[\u0080-\uffff]/.test(w)) continue;
		words++;
		const lower = w.toLowerCase();
		let ok = true;
		for (const ch of lower) {
			if (!VN_LETTERS.has(ch)) {
				ok = false;
				break;
			}
		}
		if (ok && (lower.normalize('NFD').match(TONE_MARKS)?.length ?? 0) <= 1) plausible++;
	}
	return { words, plausible };
}

function decodeTcvn3(bytes: Uint8Array): string {
	let s = '';
	for (const b of bytes) s += b < 0x80 ? String.fromCharCode(b) : (TCVN3[b] ?? '\u0080');
	return s;
}

function isUtf8(bytes: Uint8Array, complete: boolean): boolean {
	try {
		// stream: true lets a multi-byte sequence cut at the end of the sample pass.
		new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !complete });
		return true;
	} catch {
		return false;
	}
}

/**
 * Decide the encoding from the first bytes of a file. `complete` says the sample is the whole file.
 * Pure and synchronous, so the upload page can call it on the first chunk too.
 */
export function detectEncoding(sample: Uint8Array, complete = false): EncodingVerdict {
	const b = sample;
	if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf)
		return { kind: 'text', encoding: 'utf-8-bom', confident: true, evidence: 'UTF-8 BOM' };
	if (b[0] === 0xff && b[1] === 0xfe)
		return { kind: 'text', encoding: 'utf-16le', confident: true, evidence: 'UTF-16 LE BOM' };
	if (b[0] === 0xfe && b[1] === 0xff)
		return { kind: 'text', encoding: 'utf-16be', confident: true, evidence: 'UTF-16 BE BOM' };
	if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04)
		return { kind: 'excel-workbook', evidence: 'ZIP signature (.xlsx/.ods)' };
	if (b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0)
		return { kind: 'excel-workbook', evidence: 'OLE2 signature (.xls)' };

	const n = Math.min(b.length, SNIFF_MAX);
	let zerosEven = 0;
	let zerosOdd = 0;
	for (let i = 0; i < n; i++) {
		if (b[i] !== 0) continue;
		if (i % 2) zerosOdd++;
		else zerosEven++;
	}
	if (zerosEven + zerosOdd > 0) {
		const half = n / 2;
		// ASCII text in UTF-16 without BOM: every other byte is zero.
		if (zerosOdd > half * 0.3 && zerosEven < half * 0.02)
			return { kind: 'text', encoding: 'utf-16le', confident: false, evidence: 'zero high bytes, no BOM' };
		if (zerosEven > half * 0.3 && zerosOdd < half * 0.02)
			return { kind: 'text', encoding: 'utf-16be', confident: false, evidence: 'zero high bytes, no BOM' };
		return { kind: 'binary', evidence: `${zerosEven + zerosOdd} NUL bytes` };
	}
	if (isUtf8(b, complete))
		return { kind: 'text', encoding: 'utf-8', confident: true, evidence: 'valid UTF-8' };

	const cp = plausibility(
		iconv.decode(Buffer.from(b.buffer, b.byteOffset, b.byteLength), 'windows-1258').normalize('NFC')
	);
	const tc = plausibility(decodeTcvn3(b));
	const pCp = cp.words ? cp.plausible / cp.words : 0;
	const pTc = tc.words ? tc.plausible / tc.words : 0;
	const evidence = `Vietnamese-looking words: windows-1258 ${cp.plausible}/${cp.words}, TCVN3 ${tc.plausible}/${tc.words}`;
	if (pTc >= 0.6 && pTc > pCp) return { kind: 'tcvn3', evidence };
	if (pCp >= 0.8 && pCp > pTc) return { kind: 'text', encoding: 'windows-1258', confident: true, evidence };
	return { kind: 'unknown-8bit', evidence };
}

function verdictError(v: EncodingVerdict): CsvFileError | null {
	switch (v.kind) {
		case 'excel-workbook':
			return new CsvFileError(
				'excel_workbook',
				{
					vi: `Tệp này là sổ tính Excel, không phải CSV. ${RESAVE.vi}`,
					en: `This file is an Excel workbook, not a CSV file. ${RESAVE.en}`
				},
				{ evidence: v.evidence }
			);
		case 'binary':
			return new CsvFileError(
				'not_csv',
				{
					vi: 'Tệp chứa dữ liệu nhị phân, không phải văn bản CSV.',
					en: 'The file contains binary data, not CSV text.'
				},
				{ evidence: v.evidence }
			);
		case 'tcvn3':
			return new CsvFileError(
				'tcvn3',
				{
					vi: `Tệp dùng bảng mã TCVN3 (ABC), không thể chuyển chính xác sang Unicode vì chữ hoa/thường phụ thuộc phông chữ. ${RESAVE.vi}`,
					en: `The file uses the TCVN3 (ABC) encoding, which cannot be converted to Unicode reliably (capitals depend on the font). ${RESAVE.en}`
				},
				{ evidence: v.evidence }
			);
		case 'unknown-8bit':
			return new CsvFileError(
				'unknown_encoding',
				{
					vi: `Tệp không phải UTF-8 và không nhận ra bảng mã (có thể là TCVN3, VNI hoặc Windows-1258). ${RESAVE.vi}`,
					en: `The file is not UTF-8 and its encoding could not be recognised (TCVN3, VNI or Windows-1258?). ${RESAVE.en}`
				},
				{ evidence: v.evidence }
			);
		default:
			return null;
	}
}

/** A decoded piece of text and how many source bytes it came from (for progress). */
export interface DecodedChunk {
	text: string;
	bytes: number;
}

export interface DecodedStream {
	encoding: CsvEncoding;
	warnings: CsvWarning[];
	chunks: AsyncGenerator<DecodedChunk>;
}

interface Decoder {
	write(b: Uint8Array): string;
	end(): string;
}

function makeDecoder(encoding: CsvEncoding, byteOffset: () => number): Decoder {
	if (encoding === 'utf-8' || encoding === 'utf-8-bom') {
		const td = new TextDecoder('utf-8', { fatal: true });
		const run = (b: Uint8Array | undefined, stream: boolean) => {
			try {
				return td.decode(b, { stream });
			} catch {
				throw new CsvFileError(
					'invalid_utf8',
					{
						vi: `Tệp có chuỗi byte không hợp lệ theo UTF-8 (gần byte ${byteOffset()}): một phần tệp dùng bảng mã khác. ${RESAVE.vi}`,
						en: `The file has bytes that are not valid UTF-8 (near byte ${byteOffset()}): part of it uses another encoding. ${RESAVE.en}`
					},
					{ byte: byteOffset() }
				);
			}
		};
		return { write: (b) => run(b, true), end: () => run(undefined, false) };
	}
	const dec = iconv.getDecoder(encoding, { stripBOM: true });
	if (encoding !== 'windows-1258')
		return { write: (b) => dec.write(Buffer.from(b)), end: () => dec.end() ?? '' };
	// Windows-1258 writes tone marks as combining characters: compose to NFC, holding back the last
	// base letter (and its marks) in case more marks arrive in the next chunk.
	let carry = '';
	const compose = (s: string, final: boolean) => {
		const t = carry + s;
		if (final) {
			carry = '';
			return t.normalize('NFC');
		}
		let i = t.length;
		while (i > 0 && /\p{M}/u.test(t[i - 1])) i--;
		if (i > 0) i--;
		carry = t.slice(i);
		return t.slice(0, i).normalize('NFC');
	};
	return {
		write: (b) => compose(dec.write(Buffer.from(b)), false),
		end: () => compose(dec.end() ?? '', true)
	};
}

/**
 * Read enough of `source` to decide the encoding, then decode the whole stream lazily.
 * Throws CsvFileError for files we cannot read correctly.
 */
export async function openTextStream(
	source: AsyncIterable<Uint8Array>,
	option: EncodingOption = 'auto'
): Promise<DecodedStream> {
	const it = source[Symbol.asyncIterator]();
	const head: Uint8Array[] = [];
	let headBytes = 0;
	let done = false;
	let sawHigh = false;
	// Extend the sample while it is pure ASCII: Vietnamese text may only appear after the header rows.
	while (!done && (headBytes < SNIFF_MIN || (!sawHigh && headBytes < SNIFF_MAX))) {
		const r = await it.next();
		if (r.done) {
			done = true;
			break;
		}
		head.push(r.value);
		headBytes += r.value.byteLength;
		if (!sawHigh) for (const x of r.value) if (x >= 0x80 || x === 0) sawHigh = true;
	}
	if (headBytes === 0) throw new CsvFileError('empty_file', { vi: 'Tệp rỗng.', en: 'The file is empty.' });
	const sample = concat(head, headBytes);

	let encoding: CsvEncoding;
	const warnings: CsvWarning[] = [];
	if (option === 'auto') {
		const v = detectEncoding(sample, done);
		const err = verdictError(v);
		if (err) throw err;
		if (v.kind !== 'text') throw new Error('unreachable');
		encoding = v.encoding;
		if (encoding === 'windows-1258')
			warnings.push({
				code: 'converted_windows_1258',
				message: {
					vi: 'Tệp được lưu bằng bảng mã Windows-1258 và đã được chuyển sang Unicode. Hãy kiểm tra chữ tiếng Việt trong bản xem trước; lần sau nên lưu dạng "CSV UTF-8".',
					en: 'The file was saved in Windows-1258 and has been converted to Unicode. Check the Vietnamese text in the preview; next time save as "CSV UTF-8".'
				}
			});
		if ((encoding === 'utf-16le' || encoding === 'utf-16be') && !v.confident)
			warnings.push({
				code: 'utf16_without_bom',
				message: {
					vi: `Tệp không có BOM; đã đọc như ${encoding.toUpperCase()}.`,
					en: `The file has no BOM; read as ${encoding.toUpperCase()}.`
				}
			});
	} else {
		encoding =
			option === 'utf-8' && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf
				? 'utf-8-bom'
				: option;
		if (option === 'windows-1258')
			warnings.push({
				code: 'converted_windows_1258',
				message: {
					vi: 'Tệp được đọc theo bảng mã Windows-1258 như đã chọn.',
					en: 'The file was read as Windows-1258, as requested.'
				}
			});
	}

	let consumed = 0;
	const decoder = makeDecoder(encoding, () => consumed);
	async function* chunks(): AsyncGenerator<DecodedChunk> {
		consumed = headBytes;
		yield { text: decoder.write(sample), bytes: headBytes };
		if (!done) {
			for (;;) {
				const r = await it.next();
				if (r.done) break;
				consumed += r.value.byteLength;
				yield { text: decoder.write(r.value), bytes: r.value.byteLength };
			}
		}
		const tail = decoder.end();
		if (tail) yield { text: tail, bytes: 0 };
	}
	return { encoding, warnings, chunks: chunks() };
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
	if (parts.length === 1) return parts[0];
	const out = new Uint8Array(total);
	let o = 0;
	for (const p of parts) {
		out.set(p, o);
		o += p.byteLength;
	}
	return out;
}
