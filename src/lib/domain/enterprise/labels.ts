/** Text shown to users, always in both languages. */
export interface Bilingual {
	vi: string;
	en: string;
}

/** Ownership classes used in Vietnamese enterprise statistics (GSO): state, non-state, foreign-invested. */
export const OWNERSHIPS = ['state', 'private', 'fdi'] as const;
export type Ownership = (typeof OWNERSHIPS)[number];

export const OWNERSHIP_LABELS: Record<Ownership, Bilingual> = {
	state: { vi: 'Doanh nghiệp nhà nước', en: 'State-owned' },
	private: { vi: 'Doanh nghiệp ngoài nhà nước', en: 'Non-state (private)' },
	fdi: { vi: 'Doanh nghiệp có vốn đầu tư nước ngoài (FDI)', en: 'Foreign-invested (FDI)' }
};

/** Size classes of Decree 80/2021/NĐ-CP, smallest first (the order is used for sorting and comparisons). */
export const SIZE_CLASSES = ['micro', 'small', 'medium', 'large'] as const;
export type SizeClass = (typeof SIZE_CLASSES)[number];

export const SIZE_CLASS_LABELS: Record<SizeClass, Bilingual> = {
	micro: { vi: 'Siêu nhỏ', en: 'Micro' },
	small: { vi: 'Nhỏ', en: 'Small' },
	medium: { vi: 'Vừa', en: 'Medium' },
	large: { vi: 'Lớn', en: 'Large' }
};

export function isOwnership(v: unknown): v is Ownership {
	return typeof v === 'string' && (OWNERSHIPS as readonly string[]).includes(v);
}

export function isSizeClass(v: unknown): v is SizeClass {
	return typeof v === 'string' && (SIZE_CLASSES as readonly string[]).includes(v);
}
