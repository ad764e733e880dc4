/**
 * Text typed into a numeric field that could not be stored as a number (`abc`, `1,2,3`, an
 * ambiguous `1.250` not yet resolved) is kept on this device, per response, so a reload or a
 * return visit shows it again with its message instead of an empty field. It never reaches the
 * server: the answer stays empty until the text reads as a number.
 */

/** The part of the Web Storage API used here (localStorage in the browser, a Map in tests). */
export interface TextStorage {
	getItem(key: string): string | null;
	setItem(key: string, value: string): void;
	removeItem(key: string): void;
}

const MAX_TEXT = 200;

export class HeldTexts {
	constructor(
		private readonly storage: TextStorage | null,
		private readonly key: string
	) {}

	/** The browser's localStorage when it can be used (private modes and quotas may refuse it). */
	static forResponse(responseId: string): HeldTexts {
		let storage: TextStorage | null;
		try {
			storage = typeof localStorage === 'undefined' ? null : localStorage;
		} catch {
			storage = null;
		}
		return new HeldTexts(storage, `techcap:held:${responseId}`);
	}

	private read(): Record<string, string> {
		try {
			const v = JSON.parse(this.storage?.getItem(this.key) ?? '{}') as unknown;
			return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : {};
		} catch {
			return {};
		}
	}

	private write(all: Record<string, string>): void {
		try {
			if (Object.keys(all).length === 0) this.storage?.removeItem(this.key);
			else this.storage?.setItem(this.key, JSON.stringify(all));
		} catch {
			// Storage full or refused: the text stays in the field for this visit only.
		}
	}

	get(field: string): string | null {
		const v = this.read()[field];
		return typeof v === 'string' ? v : null;
	}

	/** Keep `text` for `field`, or forget it (null, or nothing left to keep). */
	set(field: string, text: string | null): void {
		const all = this.read();
		const kept = text?.trim() ? text.slice(0, MAX_TEXT) : null;
		if ((all[field] ?? null) === kept) return;
		if (kept === null) delete all[field];
		else all[field] = kept;
		this.write(all);
	}

	/** Forget everything (the response was submitted). */
	clear(): void {
		this.write({});
	}
}
