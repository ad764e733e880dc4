import { describe, expect, test } from 'vitest';
import { MAX_BOUNDARY_BYTES, readBoundaryFile, selfIntersection, wardSlug } from './boundaries';

const WARDS = [
	{ id: 'hoan-kiem', name: 'Hoàn Kiếm' },
	{ id: 'ba-dinh', name: 'Ba Đình' },
	{ id: 'dong-da', name: 'Đống Đa' }
];

/** A square ward at (x, y), 0.01° wide. */
function square(x: number, y: number, props: Record<string, unknown>) {
	const d = 0.01;
	return {
		type: 'Feature',
		properties: props,
		geometry: {
			type: 'Polygon',
			coordinates: [
				[
					[x, y],
					[x + d, y],
					[x + d, y + d],
					[x, y + d],
					[x, y]
				]
			]
		}
	};
}
const fc = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
const en = (r: ReturnType<typeof readBoundaryFile>) => (r.ok ? [] : r.problems.map((p) => p.en));

describe('ward boundary files', () => {
	test('features match the register by code or by name (diacritics and "Phường" ignored); the rest are listed', () => {
		const r = readBoundaryFile(
			fc([
				square(105.85, 21.02, { ward: 'hoan-kiem' }),
				square(105.82, 21.03, { name: 'Phường Ba Đình' }),
				square(105.8, 21.0, { name: 'Tây Mỗ' })
			]),
			WARDS
		);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.boundaries.map((b) => [b.ward, b.name])).toEqual([
			['hoan-kiem', 'Hoàn Kiếm'],
			['ba-dinh', 'Ba Đình']
		]);
		expect(r.unmatched).toEqual([{ feature: 3, label: 'Tây Mỗ' }]);
		expect(r.boundaries[0].geometry).toEqual(square(105.85, 21.02, {}).geometry);
		expect(r.missing.map((w) => w.id)).toEqual(['dong-da']);
	});

	test('TopoJSON is converted to the same boundaries', () => {
		const topo = {
			type: 'Topology',
			arcs: [
				[
					[105.85, 21.02],
					[105.86, 21.02],
					[105.86, 21.03],
					[105.85, 21.03],
					[105.85, 21.02]
				]
			],
			objects: {
				wards: {
					type: 'GeometryCollection',
					geometries: [{ type: 'Polygon', arcs: [[0]], properties: { name: 'Hoàn Kiếm' } }]
				}
			}
		};
		const r = readBoundaryFile(JSON.stringify(topo), WARDS);
		expect(r.ok && r.boundaries.map((b) => b.ward)).toEqual(['hoan-kiem']);
	});

	test('hostile or wrong files are refused with a clear reason', () => {
		expect(en(readBoundaryFile('ward,name\n1,Ba Đình', WARDS))[0]).toMatch(/not JSON/);
		expect(en(readBoundaryFile('[1,2]', WARDS))[0]).toMatch(/not GeoJSON/);
		expect(en(readBoundaryFile(JSON.stringify({ type: 'Point', coordinates: [1, 2] }), WARDS))[0]).toMatch(
			/type "Point", expected "FeatureCollection"/
		);
		expect(en(readBoundaryFile(fc([]), WARDS))[0]).toMatch(/no boundary features/);
		const many = Array.from({ length: 10_000 }, (_, i) =>
			square(105 + (i % 100) * 0.01, 21 + Math.floor(i / 100) * 0.01, { name: `W${i}` })
		);
		expect(en(readBoundaryFile(fc(many), WARDS))[0]).toMatch(/10,000 features, over the limit of 2,000/);
		const huge = ' '.repeat(MAX_BOUNDARY_BYTES) + fc([square(105.85, 21.02, { ward: 'hoan-kiem' })]);
		expect(en(readBoundaryFile(huge, WARDS))[0]).toMatch(/over the 10 MB limit/);
		expect(en(readBoundaryFile(JSON.stringify({ type: 'Topology', objects: {} }), WARDS))[0]).toMatch(
			/Invalid TopoJSON/
		);
		// Nothing matches the register.
		expect(en(readBoundaryFile(fc([square(105.8, 21, { name: 'Nowhere' })]), WARDS))[0]).toMatch(
			/No feature matches/
		);
	});

	test('invalid geometry is refused, naming the feature', () => {
		const bowtie = square(105.85, 21.02, { ward: 'hoan-kiem' });
		bowtie.geometry.coordinates = [
			[
				[105.85, 21.02],
				[105.86, 21.03],
				[105.86, 21.02],
				[105.85, 21.03],
				[105.85, 21.02]
			]
		];
		expect(en(readBoundaryFile(fc([bowtie]), WARDS))).toEqual([
			expect.stringMatching(/^Feature 1 \(hoan-kiem\): the boundary crosses itself near/)
		]);
		const open = square(105.85, 21.02, { ward: 'hoan-kiem' });
		open.geometry.coordinates[0].pop();
		open.geometry.coordinates[0].push([105.851, 21.021]);
		expect(en(readBoundaryFile(fc([open]), WARDS))[0]).toMatch(/not closed/);
		const latlon = square(21.02, 105.85, { ward: 'hoan-kiem' });
		expect(en(readBoundaryFile(fc([latlon]), WARDS))[0]).toMatch(/not \[longitude, latitude\]/);
		const line = {
			type: 'Feature',
			properties: { ward: 'ba-dinh' },
			geometry: {
				type: 'LineString',
				coordinates: [
					[105, 21],
					[106, 21]
				]
			}
		};
		expect(en(readBoundaryFile(fc([line]), WARDS))[0]).toMatch(
			/^Feature 1 \(ba-dinh\): geometry of type "LineString"/
		);
		const twice = [
			square(105.85, 21.02, { ward: 'hoan-kiem' }),
			square(105.87, 21.02, { name: 'Hoàn Kiếm' })
		];
		expect(en(readBoundaryFile(fc(twice), WARDS))[0]).toMatch(
			/Features 1 and 2 are both the ward "Hoàn Kiếm"/
		);
	});

	test('self-intersection: crossings and touching non-neighbour segments, not the shared vertices of neighbours', () => {
		const sq = [
			[0, 0],
			[1, 0],
			[1, 1],
			[0, 1],
			[0, 0]
		];
		expect(selfIntersection(sq)).toBeNull();
		expect(
			selfIntersection([
				[0, 0],
				[1, 1],
				[1, 0],
				[0, 1],
				[0, 0]
			])
		).not.toBeNull();
		// A ring that comes back to touch one of its own vertices (a pinch).
		expect(
			selfIntersection([
				[0, 0],
				[2, 0],
				[1, 1],
				[2, 2],
				[0, 2],
				[1, 1],
				[0, 0]
			])
		).not.toBeNull();
		// A many-sided circle (the grid path) is simple.
		const circle = Array.from({ length: 2001 }, (_, i) => [
			Math.cos((2 * Math.PI * i) / 2000),
			Math.sin((2 * Math.PI * i) / 2000)
		]);
		circle[2000] = circle[0];
		expect(selfIntersection(circle)).toBeNull();
		const crossed = circle.map((p) => [...p]);
		[crossed[10], crossed[1000]] = [crossed[1000], crossed[10]];
		expect(selfIntersection(crossed)).not.toBeNull();
	});

	test('slugs of Vietnamese names are the register ids', () => {
		expect(wardSlug('Phường Đống Đa')).toBe('dong-da');
		expect(wardSlug('Xã Ứng Hòa')).toBe('ung-hoa');
		expect(wardSlug('  Hoàn   Kiếm ')).toBe('hoan-kiem');
	});
});
