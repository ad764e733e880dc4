import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openTestDb, type TestDb } from '../auth/testing';
import { C, type AuditDoc } from '../db/schema';
import { boundaryVersions, currentWardMap, saveBoundaries } from './boundaries';
import { MAX_BOUNDARY_BYTES } from '$lib/domain/geo/boundaries';

const WARDS = [
	{ id: 'hoan-kiem', name: 'Hoàn Kiếm' },
	{ id: 'ba-dinh', name: 'Ba Đình' }
];
const admin = { id: 'u-admin', email: 'admin@example.vn', role: 'admin' };
const square = (ward: string, x: number) => ({
	type: 'Feature',
	properties: { ward },
	geometry: {
		type: 'Polygon',
		coordinates: [
			[
				[x, 21],
				[x + 0.01, 21],
				[x + 0.01, 21.01],
				[x, 21.01],
				[x, 21]
			]
		]
	}
});
const file = (text: string, name = 'wards.geojson') => ({
	name,
	size: Buffer.byteLength(text),
	text: async () => text
});
const good = JSON.stringify({
	type: 'FeatureCollection',
	features: [square('hoan-kiem', 105.85), square('nowhere', 105.9)]
});

let t: TestDb;
beforeEach(async () => {
	t = await openTestDb();
});
afterEach(async () => {
	await t.cleanup();
});

describe('ward boundary uploads', () => {
	test('an admin upload is stored as a new version, audited, and drawn from then on', async () => {
		expect(await currentWardMap(t.db)).toBeNull();
		const r = await saveBoundaries(t.db, admin, file(good), WARDS);
		expect(r).toMatchObject({
			ok: true,
			version: 1,
			matched: 1,
			unmatched: [{ feature: 2, label: 'nowhere' }],
			missing: ['ba-dinh']
		});
		const again = await saveBoundaries(t.db, admin, file(good, 'v2.geojson'), WARDS);
		expect(again).toMatchObject({ ok: true, version: 2 });
		const map = await currentWardMap(t.db);
		expect(map?.version).toBe(2);
		expect(map?.features.map((f) => f.ward)).toEqual(['hoan-kiem']);
		// The geometry comes back as it was checked (nested coordinate arrays intact).
		expect(map?.features[0].geometry).toEqual(JSON.parse(good).features[0].geometry);
		expect((await boundaryVersions(t.db)).map((v) => [v.version, v.fileName])).toEqual([
			[2, 'v2.geojson'],
			[1, 'wards.geojson']
		]);
		const audit = await t.db.collection<AuditDoc>(C.audit).find({ action: 'boundaries.upload' });
		expect(audit).toHaveLength(2);
		expect(audit[0]).toMatchObject({ actorEmail: 'admin@example.vn' });
	});

	test('other roles and anonymous callers are refused and nothing is stored', async () => {
		for (const actor of [
			null,
			{ ...admin, role: 'analyst' },
			{ ...admin, role: 'policymaker' },
			{ ...admin, role: 'enterprise' }
		]) {
			const r = await saveBoundaries(t.db, actor, file(good), WARDS);
			expect(r).toMatchObject({ ok: false, status: 403 });
		}
		expect(await currentWardMap(t.db)).toBeNull();
		expect(await t.db.collection(C.audit).find({})).toHaveLength(0);
	});

	test('hostile files are refused with their reason, unread when too large', async () => {
		let read = false;
		const huge = { name: 'big.geojson', size: MAX_BOUNDARY_BYTES + 1, text: async () => ((read = true), '') };
		expect(await saveBoundaries(t.db, admin, huge, WARDS)).toMatchObject({ ok: false, status: 413 });
		expect(read).toBe(false);
		const notJson = await saveBoundaries(t.db, admin, file('<svg/>'), WARDS);
		expect(notJson).toMatchObject({ ok: false, status: 422 });
		expect(!notJson.ok && notJson.problems[0].vi).toMatch(/không phải JSON/);
		const many = JSON.stringify({
			type: 'FeatureCollection',
			features: Array.from({ length: 10_000 }, (_, i) => square(`w${i}`, 100 + i * 0.001))
		});
		const r = await saveBoundaries(t.db, admin, file(many), WARDS);
		expect(!r.ok && r.problems[0].en).toMatch(/10,000 features/);
		expect(await currentWardMap(t.db)).toBeNull();
	});
});
