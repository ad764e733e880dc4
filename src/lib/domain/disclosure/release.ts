import type { Bilingual } from '../enterprise/labels';
import type { CellStatus, PrimaryReason } from './cells';
import type { ProtectedCell, ProtectedTable } from './protect';
import type { Constraint } from './tables';

/** Eurostat's flag for a confidential value. */
export const CONFIDENTIAL_FLAG = ':c';
export type SuppressionFlag = typeof CONFIDENTIAL_FLAG;

export const SUPPRESSION_TEXT = {
	flag: {
		vi: 'Bảo mật (:c): giá trị được ẩn để không làm lộ thông tin của từng doanh nghiệp.',
		en: 'Confidential (:c): value withheld so that no single enterprise can be identified.'
	},
	wouldBeSuppressed: {
		vi: 'Sẽ bị ẩn trong số liệu công bố (chỉ người có quyền vi dữ liệu mới thấy).',
		en: 'Would be suppressed in published outputs (visible only with microdata rights).'
	},
	reasons: {
		threshold: { vi: 'Ít hơn k doanh nghiệp', en: 'Fewer than k enterprises' },
		dominance: {
			vi: 'Một vài doanh nghiệp chiếm phần lớn giá trị',
			en: 'Dominated by one or two enterprises'
		},
		'p-percent': {
			vi: 'Doanh nghiệp lớn thứ hai có thể ước lượng gần đúng doanh nghiệp lớn nhất (quy tắc p%)',
			en: 'The second-largest contributor could estimate the largest closely (p % rule)'
		},
		version: {
			vi: 'Khác phiên bản đã công bố trước ít hơn k doanh nghiệp',
			en: 'Differs from an earlier published version by fewer than k enterprises'
		},
		secondary: { vi: 'Ẩn bổ sung để không suy ra được ô bị ẩn', en: 'Suppressed to protect another cell' }
	} satisfies Record<PrimaryReason | 'secondary', Bilingual>
} as const;

export interface ReleasedCell {
	key: string;
	n: number | null;
	value: number | null;
	/** ':c' when the cell is suppressed in public outputs (also shown to microdata users). */
	flag: SuppressionFlag | null;
	suppressed: boolean;
	/** Only in the microdata view: revealing primary vs secondary would tell the public which cells are small. */
	status?: CellStatus;
	reasons?: PrimaryReason[];
}

export interface ReleasedTable {
	id: string;
	view: 'public' | 'microdata';
	cells: ReleasedCell[];
	constraints: Constraint[];
}

export interface ViewerRights {
	/** Analysts with microdata rights see unsuppressed values (still flagged). */
	microdata: boolean;
}

export function releaseCell(cell: ProtectedCell, rights: ViewerRights): ReleasedCell {
	const suppressed = cell.status !== 'published';
	if (rights.microdata) {
		return {
			key: cell.key,
			n: cell.n,
			value: cell.value,
			flag: suppressed ? CONFIDENTIAL_FLAG : null,
			suppressed,
			status: cell.status,
			reasons: [...cell.reasons]
		};
	}
	return {
		key: cell.key,
		n: suppressed ? null : cell.n,
		value: suppressed ? null : cell.value,
		flag: suppressed ? CONFIDENTIAL_FLAG : null,
		suppressed
	};
}

/** The view of a protected table a viewer may see: public viewers get null + ':c' for suppressed cells. */
export function applyRole(table: ProtectedTable, rights: ViewerRights): ReleasedTable {
	return {
		id: table.id,
		view: rights.microdata ? 'microdata' : 'public',
		cells: table.cells.map((c) => releaseCell(c, rights)),
		constraints: table.constraints.map((c) => ({ total: c.total, parts: [...c.parts] }))
	};
}

/** Text for a CSV/HTML cell: the flag replaces a withheld value; a microdata view shows "value :c". */
export function formatReleased(
	value: number | null,
	flag: SuppressionFlag | null,
	format: (v: number) => string = String
): string {
	if (value === null) return flag ?? '';
	return flag ? `${format(value)} ${flag}` : format(value);
}
