/**
 * Ward boundary files for the gap map: a GeoJSON FeatureCollection (or a TopoJSON topology,
 * converted) checked before anything is stored — size, shape, geometry that a map can draw (closed,
 * non-self-intersecting rings inside longitude/latitude ranges) — and each feature matched to a ward
 * of the enterprise register by code or by name. Every refusal names the feature and says why, in
 * Vietnamese and English.
 */
import { feature as topoFeature } from 'topojson-client';
import type { Topology } from 'topojson-specification';

export type Bilingual = { vi: string; en: string };
type Position = number[];
export type Polygon = { type: 'Polygon'; coordinates: Position[][] };
export type MultiPolygon = { type: 'MultiPolygon'; coordinates: Position[][][] };
export type WardGeometry = Polygon | MultiPolygon;

/** Files above this are refused unread (province ward files are a few MB; the server's body limit is 12 MB). */
export const MAX_BOUNDARY_BYTES = 10 * 1024 * 1024;
/** A province has at most a few hundred wards and communes. */
export const MAX_FEATURES = 2000;
/**
 * All rings together: keeps the self-intersection check and the page's map light, and one stored
 * version well inside a MongoDB document (16 MB; about 30 bytes a position).
 */
export const MAX_VERTICES = 300_000;
/** Problems listed before the rest are summarised. */
const MAX_PROBLEMS = 50;

export interface RegisterWard {
	id: string;
	name: string;
}

export interface WardBoundary {
	ward: string;
	/** The ward's name in the register (the map's label). */
	name: string;
	geometry: WardGeometry;
}

export interface UnmatchedFeature {
	/** Position in the file, from 1. */
	feature: number;
	/** What the file calls it (its code or name), or '' when it has neither. */
	label: string;
}

export type BoundaryReading =
	| {
			ok: true;
			boundaries: WardBoundary[];
			/** Features naming no ward of the register: listed, not stored. */
			unmatched: UnmatchedFeature[];
			/** Register wards the file has no boundary for (drawn as missing on the map). */
			missing: RegisterWard[];
	  }
	| { ok: false; problems: Bilingual[] };

const CODE_KEYS = ['ward', 'ward_id', 'wardId', 'ward_code', 'code', 'ma', 'ma_xa', 'id'];
const NAME_KEYS = ['name', 'ten', 'ten_xa', 'ward_name', 'NAME', 'Name', 'TEN'];

/** "Phường Hoàn Kiếm" → "hoan-kiem": the register's ward ids are slugs of the names. */
export function wardSlug(text: string): string {
	return text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[đĐ]/g, 'd')
		.toLowerCase()
		.replace(/^\s*(phuong|xa|ward|commune|thi tran)\s+/, '')
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
}

const fail = (vi: string, en: string): BoundaryReading => ({ ok: false, problems: [{ vi, en }] });
const isObject = (x: unknown): x is Record<string, unknown> =>
	typeof x === 'object' && x !== null && !Array.isArray(x);

export function readBoundaryFile(text: string, wards: readonly RegisterWard[]): BoundaryReading {
	const bytes = new TextEncoder().encode(text).length;
	if (bytes > MAX_BOUNDARY_BYTES) return tooLarge(bytes);
	let doc: unknown;
	try {
		doc = JSON.parse(text.replace(/^\uFEFF/, ''));
	} catch {
		return fail(
			'Tệp không phải JSON (GeoJSON hoặc TopoJSON): không đọc được nội dung.',
			'The file is not JSON (GeoJSON or TopoJSON): its content cannot be read.'
		);
	}
	if (!isObject(doc))
		return fail(
			'Tệp không phải GeoJSON: cần một đối tượng FeatureCollection.',
			'The file is not GeoJSON: a FeatureCollection object is needed.'
		);
	if (doc.type === 'Topology') {
		const converted = fromTopology(doc);
		if (!converted.ok) return converted.reading;
		doc = converted.collection;
	}
	const fc = doc as Record<string, unknown>;
	if (fc.type !== 'FeatureCollection' || !Array.isArray(fc.features))
		return fail(
			`Tệp không phải GeoJSON ranh giới phường/xã: kiểu "${String(fc.type).slice(0, 40)}", cần "FeatureCollection" (hoặc TopoJSON "Topology").`,
			`The file is not a GeoJSON boundary file: type "${String(fc.type).slice(0, 40)}", expected "FeatureCollection" (or a TopoJSON "Topology").`
		);
	return readFeatures(fc.features, wards);
}

/** Checked before reading: `size` is what the upload declares (null: unknown, cut off by the server). */
export function tooLarge(size: number | null): BoundaryReading {
	const mb = (n: number, tag: string) => (n / 1024 / 1024).toLocaleString(tag, { maximumFractionDigits: 1 });
	const limit = { vi: mb(MAX_BOUNDARY_BYTES, 'vi-VN'), en: mb(MAX_BOUNDARY_BYTES, 'en-GB') };
	return fail(
		`${size === null ? 'Tệp' : `Tệp ${mb(size, 'vi-VN')} MB,`} lớn hơn giới hạn ${limit.vi} MB. Hãy giản lược ranh giới (ví dụ mapshaper) rồi tải lại.`,
		`The file${size === null ? '' : ` is ${mb(size, 'en-GB')} MB,`} ${size === null ? 'is ' : ''}over the ${limit.en} MB limit. Simplify the boundaries (e.g. with mapshaper) and upload again.`
	);
}

function fromTopology(
	doc: Record<string, unknown>
): { ok: true; collection: unknown } | { ok: false; reading: BoundaryReading } {
	const objects = doc.objects;
	if (!isObject(objects) || !Array.isArray(doc.arcs) || Object.keys(objects).length === 0)
		return {
			ok: false,
			reading: fail(
				'TopoJSON không hợp lệ: thiếu "objects" hoặc "arcs".',
				'Invalid TopoJSON: "objects" or "arcs" is missing.'
			)
		};
	// The object with the most geometries is the ward layer (a file may also carry the province outline).
	const count = (o: unknown) =>
		isObject(o) && Array.isArray(o.geometries) ? o.geometries.length : isObject(o) ? 1 : 0;
	const name = Object.keys(objects).sort((a, b) => count(objects[b]) - count(objects[a]))[0];
	if (count(objects[name]) > MAX_FEATURES) return { ok: false, reading: tooMany(count(objects[name])) };
	try {
		return { ok: true, collection: topoFeature(doc as unknown as Topology, name as never) };
	} catch {
		return {
			ok: false,
			reading: fail(
				`TopoJSON không hợp lệ: không chuyển được lớp "${name.slice(0, 40)}" thành ranh giới.`,
				`Invalid TopoJSON: the layer "${name.slice(0, 40)}" cannot be turned into boundaries.`
			)
		};
	}
}

function tooMany(n: number): BoundaryReading {
	return fail(
		`Tệp có ${n.toLocaleString('vi-VN')} đối tượng, nhiều hơn giới hạn ${MAX_FEATURES.toLocaleString('vi-VN')} (một tỉnh có vài trăm phường/xã).`,
		`The file has ${n.toLocaleString('en-GB')} features, over the limit of ${MAX_FEATURES.toLocaleString('en-GB')} (a province has a few hundred wards and communes).`
	);
}

function readFeatures(features: unknown[], wards: readonly RegisterWard[]): BoundaryReading {
	if (features.length === 0)
		return fail('Tệp không có đối tượng ranh giới nào.', 'The file has no boundary features.');
	if (features.length > MAX_FEATURES) return tooMany(features.length);
	const byId = new Map(wards.map((w) => [w.id, w]));
	const bySlug = new Map(wards.map((w) => [wardSlug(w.name), w]));
	const problems: Bilingual[] = [];
	const boundaries: WardBoundary[] = [];
	const unmatched: UnmatchedFeature[] = [];
	const seen = new Map<string, number>();
	let vertices = 0;
	features.forEach((f, i) => {
		if (problems.length >= MAX_PROBLEMS) return;
		const no = i + 1;
		if (!isObject(f) || f.type !== 'Feature' || !isObject(f.geometry)) {
			problems.push({
				vi: `Đối tượng ${no}: không phải Feature có hình học (geometry).`,
				en: `Feature ${no}: not a Feature with a geometry.`
			});
			return;
		}
		const props = isObject(f.properties) ? f.properties : {};
		const code = [...CODE_KEYS.map((k) => props[k]), f.id].find(
			(v) => (typeof v === 'string' && v.trim()) || typeof v === 'number'
		);
		const name = NAME_KEYS.map((k) => props[k]).find((v) => typeof v === 'string' && v.trim()) as
			string | undefined;
		const label = String(name ?? code ?? '').slice(0, 80);
		const geometry = checkGeometry(f.geometry, `${no}${label ? ` (${label})` : ''}`, problems);
		if (!geometry) return;
		vertices += geometry.vertices;
		const ward =
			(code !== undefined ? (byId.get(String(code)) ?? bySlug.get(wardSlug(String(code)))) : undefined) ??
			(name ? bySlug.get(wardSlug(name)) : undefined);
		if (!ward) {
			unmatched.push({ feature: no, label });
			return;
		}
		const earlier = seen.get(ward.id);
		if (earlier !== undefined) {
			problems.push({
				vi: `Đối tượng ${no} và ${earlier} cùng là phường/xã "${ward.name}": mỗi phường/xã chỉ một ranh giới.`,
				en: `Features ${earlier} and ${no} are both the ward "${ward.name}": one boundary per ward.`
			});
			return;
		}
		seen.set(ward.id, no);
		boundaries.push({ ward: ward.id, name: ward.name, geometry: geometry.geometry });
	});
	if (vertices > MAX_VERTICES)
		problems.push({
			vi: `Ranh giới có ${vertices.toLocaleString('vi-VN')} đỉnh, nhiều hơn giới hạn ${MAX_VERTICES.toLocaleString('vi-VN')}: hãy giản lược rồi tải lại.`,
			en: `The boundaries have ${vertices.toLocaleString('en-GB')} vertices, over the limit of ${MAX_VERTICES.toLocaleString('en-GB')}: simplify them and upload again.`
		});
	if (problems.length) return { ok: false, problems };
	if (boundaries.length === 0)
		return fail(
			`Không đối tượng nào khớp với phường/xã trong danh bạ doanh nghiệp (${unmatched.length} đối tượng, ví dụ "${unmatched[0]?.label ?? ''}"). Thuộc tính "ward"/"code" cần là mã phường/xã của danh bạ, hoặc "name" là tên phường/xã.`,
			`No feature matches a ward of the enterprise register (${unmatched.length} features, e.g. "${unmatched[0]?.label ?? ''}"). The "ward"/"code" property must be the register's ward code, or "name" the ward's name.`
		);
	const covered = new Set(boundaries.map((b) => b.ward));
	return { ok: true, boundaries, unmatched, missing: wards.filter((w) => !covered.has(w.id)) };
}

function checkGeometry(
	g: Record<string, unknown>,
	what: string,
	problems: Bilingual[]
): { geometry: WardGeometry; vertices: number } | null {
	const bad = (vi: string, en: string) => {
		problems.push({ vi: `Đối tượng ${what}: ${vi}`, en: `Feature ${what}: ${en}` });
		return null;
	};
	if (g.type !== 'Polygon' && g.type !== 'MultiPolygon')
		return bad(
			`hình học kiểu "${String(g.type).slice(0, 30)}", cần Polygon hoặc MultiPolygon.`,
			`geometry of type "${String(g.type).slice(0, 30)}", expected Polygon or MultiPolygon.`
		);
	const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown;
	if (!Array.isArray(polygons) || polygons.length === 0) return bad('không có toạ độ.', 'no coordinates.');
	let vertices = 0;
	for (const polygon of polygons) {
		if (!Array.isArray(polygon) || polygon.length === 0)
			return bad('vùng không có vòng biên.', 'a polygon without rings.');
		for (const ring of polygon as unknown[]) {
			if (!Array.isArray(ring) || ring.length < 4)
				return bad('vòng biên có ít hơn 4 điểm.', 'a ring with fewer than 4 positions.');
			for (const p of ring as unknown[]) {
				if (
					!Array.isArray(p) ||
					p.length < 2 ||
					typeof p[0] !== 'number' ||
					typeof p[1] !== 'number' ||
					!Number.isFinite(p[0]) ||
					!Number.isFinite(p[1]) ||
					Math.abs(p[0]) > 180 ||
					Math.abs(p[1]) > 90
				)
					return bad(
						`toạ độ ${JSON.stringify(p).slice(0, 40)} không phải [kinh độ, vĩ độ] (WGS 84).`,
						`position ${JSON.stringify(p).slice(0, 40)} is not [longitude, latitude] (WGS 84).`
					);
			}
			const r = ring as number[][];
			const first = r[0];
			const last = r[r.length - 1];
			if (first[0] !== last[0] || first[1] !== last[1])
				return bad(
					'vòng biên không khép kín (điểm cuối khác điểm đầu).',
					'a ring is not closed (its last position differs from its first).'
				);
			vertices += r.length;
			const at = selfIntersection(r);
			if (at)
				return bad(
					`đường biên tự cắt gần [${at.map((x) => x.toFixed(5)).join(', ')}].`,
					`the boundary crosses itself near [${at.map((x) => x.toFixed(5)).join(', ')}].`
				);
		}
	}
	return { geometry: { type: g.type, coordinates: g.coordinates as never } as WardGeometry, vertices };
}

function orient(a: number[], b: number[], c: number[]): number {
	const v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
	return v > 0 ? 1 : v < 0 ? -1 : 0;
}
function onSegment(a: number[], b: number[], p: number[]): boolean {
	return (
		Math.min(a[0], b[0]) <= p[0] &&
		p[0] <= Math.max(a[0], b[0]) &&
		Math.min(a[1], b[1]) <= p[1] &&
		p[1] <= Math.max(a[1], b[1])
	);
}
function segmentsMeet(a: number[], b: number[], c: number[], d: number[]): boolean {
	const o1 = orient(a, b, c);
	const o2 = orient(a, b, d);
	const o3 = orient(c, d, a);
	const o4 = orient(c, d, b);
	if (o1 !== o2 && o3 !== o4) return true;
	return (
		(o1 === 0 && onSegment(a, b, c)) ||
		(o2 === 0 && onSegment(a, b, d)) ||
		(o3 === 0 && onSegment(c, d, a)) ||
		(o4 === 0 && onSegment(c, d, b))
	);
}

/**
 * Where a closed ring crosses or touches itself (segments that do not follow each other), or null.
 * Segments are bucketed in a grid over the ring's extent so only nearby pairs are compared.
 */
export function selfIntersection(ring: number[][]): number[] | null {
	const n = ring.length - 1;
	if (n < 3) return null;
	let minX = Infinity;
	let minY = Infinity;
	let maxX = -Infinity;
	let maxY = -Infinity;
	for (const p of ring) {
		minX = Math.min(minX, p[0]);
		maxX = Math.max(maxX, p[0]);
		minY = Math.min(minY, p[1]);
		maxY = Math.max(maxY, p[1]);
	}
	const side = Math.max(1, Math.ceil(Math.sqrt(n)));
	const w = (maxX - minX) / side || 1;
	const h = (maxY - minY) / side || 1;
	const cell = (x: number, y: number) => [
		Math.min(side - 1, Math.floor((x - minX) / w)),
		Math.min(side - 1, Math.floor((y - minY) / h))
	];
	const grid = new Map<number, number[]>();
	for (let i = 0; i < n; i++) {
		const [x0, y0] = cell(Math.min(ring[i][0], ring[i + 1][0]), Math.min(ring[i][1], ring[i + 1][1]));
		const [x1, y1] = cell(Math.max(ring[i][0], ring[i + 1][0]), Math.max(ring[i][1], ring[i + 1][1]));
		for (let x = x0; x <= x1; x++)
			for (let y = y0; y <= y1; y++) {
				const k = x * side + y;
				const list = grid.get(k);
				if (list) list.push(i);
				else grid.set(k, [i]);
			}
	}
	for (const list of grid.values()) {
		for (let a = 0; a < list.length; a++)
			for (let b = a + 1; b < list.length; b++) {
				const i = Math.min(list[a], list[b]);
				const j = Math.max(list[a], list[b]);
				// Neighbours share a vertex by construction (the last segment meets the first).
				if (j === i + 1 || (i === 0 && j === n - 1)) continue;
				if (segmentsMeet(ring[i], ring[i + 1], ring[j], ring[j + 1])) return ring[j];
			}
	}
	return null;
}
