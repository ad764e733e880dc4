/** Level ids are stable (stored with every score); their labels come from here and the rubric. */
import type { Locale } from './i18n';

export const LEVEL_LABELS: Record<string, { vi: string; en: string }> = {
	'lac-hau': { vi: 'Lạc hậu', en: 'Backward' },
	'trung-binh': { vi: 'Trung bình', en: 'Average' },
	'trung-binh-tien-tien': { vi: 'Trung bình tiên tiến', en: 'Average-advanced' },
	'tien-tien': { vi: 'Tiên tiến', en: 'Advanced' },
	'hien-dai': { vi: 'Hiện đại', en: 'Modern' }
};

export function levelLabel(id: string, locale: Locale): string {
	return LEVEL_LABELS[id]?.[locale] ?? id;
}
