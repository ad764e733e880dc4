/**
 * The analyst dashboard's data: one function, so the page, the benchmark and tests measure the same
 * thing. It only reads materialised benchmarks (a handful of small documents), never release rows.
 */
import { listSectors } from '../surveys';
import { C } from '../db/schema';
import type { Database } from '../db/types';
import {
	benchmarkView,
	listReleases,
	type BenchmarkView,
	type ReleaseSummary,
	type SegmentView,
	type ViewerRights
} from './read';
import { byString, segmentKey } from './segments';
import { DIMENSIONS, type BenchmarkDoc, type Bilingual, type Dimension } from './types';

export interface DashboardQuery {
	sector?: string;
	year?: number;
	/** A specific release version; default the latest version of the year. */
	releaseId?: string;
	filters?: Partial<Record<Dimension, string>>;
	/** Dimension of the segment comparison table and box plots (default size). */
	compareBy?: Dimension;
}

export interface TrendPoint {
	year: number;
	releaseId: string;
	version: number;
	segment: SegmentView | null;
}

export interface SectorComparison {
	sector: string;
	name: Bilingual;
	releaseId: string;
	year: number;
	n: number | null;
	flag: string | null;
	/** Mean group score as a share (0–1) of the group's maximum. */
	shares: Record<string, number | null>;
	total: number | null;
}

export interface DashboardData {
	sectors: Array<{ id: string; name: Bilingual }>;
	sector: string | null;
	releases: ReleaseSummary[];
	release: ReleaseSummary | null;
	filters: Partial<Record<Dimension, string>>;
	/** Values present in the release per dimension (from the one-dimension tables). */
	options: Record<Dimension, string[]>;
	compareBy: Dimension;
	view: 'public' | 'microdata';
	selected: SegmentView | null;
	distributions: BenchmarkView['distributions'][string] | null;
	comparison: SegmentView[];
	trend: TrendPoint[];
	crossSector: SectorComparison[];
	problem: Bilingual | null;
}

async function benchDoc(
	db: Database,
	releaseId: string,
	dims: readonly Dimension[]
): Promise<BenchmarkDoc | null> {
	return db.collection<BenchmarkDoc>(C.benchmarks).findOne({ releaseId, by: byString(dims) });
}

function latestPerYear(releases: ReleaseSummary[]): ReleaseSummary[] {
	return releases.filter((r) => r.latest).sort((a, b) => a.year - b.year);
}

export async function analystDashboard(
	db: Database,
	q: DashboardQuery,
	rights: ViewerRights
): Promise<DashboardData> {
	const sectors = listSectors().map((s) => ({ id: s.id, name: s.name }));
	const sector = q.sector && sectors.some((s) => s.id === q.sector) ? q.sector : (sectors[0]?.id ?? null);
	const filters: Partial<Record<Dimension, string>> = {};
	for (const d of DIMENSIONS) if (q.filters?.[d]) filters[d] = q.filters[d];
	const compareBy = q.compareBy && DIMENSIONS.includes(q.compareBy) ? q.compareBy : 'size';
	const empty: DashboardData = {
		sectors,
		sector,
		releases: [],
		release: null,
		filters,
		options: { size: [], ownership: [], ward: [], vsic: [] },
		compareBy,
		view: rights.microdata ? 'microdata' : 'public',
		selected: null,
		distributions: null,
		comparison: [],
		trend: [],
		crossSector: [],
		problem: null
	};
	if (!sector) return empty;
	const releases = await listReleases(db, { sector });
	const release =
		(q.releaseId && releases.find((r) => r.id === q.releaseId)) ||
		(q.year && releases.find((r) => r.year === q.year && r.latest)) ||
		releases.find((r) => r.latest) ||
		null;
	if (!release) return { ...empty, releases };
	const dims = DIMENSIONS.filter((d) => filters[d] !== undefined);
	const out: DashboardData = { ...empty, releases, release };
	for (const d of DIMENSIONS) {
		const doc = await benchDoc(db, release.id, [d]);
		out.options[d] = doc
			? Object.values(doc.stats)
					.map((s) => String(s.segment[d]))
					.sort()
			: [];
	}
	if (dims.length > 2) {
		out.problem = {
			vi: 'Chỉ công bố số liệu theo tối đa hai tiêu chí lọc cùng lúc; hãy bỏ bớt bộ lọc.',
			en: 'Figures are published for at most two filters at a time; remove a filter.'
		};
		return out;
	}
	const key = segmentKey(filters);
	const doc = await benchDoc(db, release.id, dims);
	if (doc) {
		const view = benchmarkView(doc, release, rights);
		out.selected = view.segments.find((s) => s.key === key) ?? null;
		out.distributions = dims.length <= 1 ? (view.distributions[key] ?? null) : null;
	}
	// Segment comparison: the compareBy segments, within the filter when one other dimension is set.
	const other = dims.filter((d) => d !== compareBy);
	if (other.length <= 1) {
		const cdims = [...other, compareBy];
		const cdoc = await benchDoc(db, release.id, cdims);
		if (cdoc) {
			const view = benchmarkView(cdoc, release, rights);
			out.comparison = view.segments.filter((s) => other.every((d) => s.segment[d] === filters[d]));
		}
	}
	// Trend: the same segment in the latest version of each year's release.
	for (const r of latestPerYear(releases)) {
		const tdoc = r.id === release.id ? doc : await benchDoc(db, r.id, dims);
		const seg = tdoc ? (benchmarkView(tdoc, r, rights).segments.find((s) => s.key === key) ?? null) : null;
		out.trend.push({ year: r.year, releaseId: r.id, version: r.version, segment: seg });
	}
	// Cross-sector: the whole sector in the same year, group scores as a share of their maximum.
	const sameYear = (await listReleases(db, { year: release.year })).filter((r) => r.latest);
	for (const r of sameYear) {
		const adoc = await benchDoc(db, r.id, []);
		const seg = adoc ? (benchmarkView(adoc, r, rights).segments[0] ?? null) : null;
		const shares: Record<string, number | null> = {};
		for (const [g, max] of Object.entries(r.groupMax)) {
			const m = seg?.groups?.[g]?.mean;
			shares[g] = m === null || m === undefined || !max ? null : m / max;
		}
		out.crossSector.push({
			sector: r.sector,
			name: sectors.find((s) => s.id === r.sector)?.name ?? { vi: r.sector, en: r.sector },
			releaseId: r.id,
			year: r.year,
			n: seg?.n ?? null,
			flag: seg?.flag ?? null,
			shares,
			total: seg?.total?.mean ?? null
		});
	}
	return out;
}
