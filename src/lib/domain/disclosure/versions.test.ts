import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { attackReleasedTables } from './attack';
import type { Cell } from './cells';
import { protectTables, type ProtectionResult } from './protect';
import type { ReleasedTable } from './release';
import { twoWayTable, type TableSpec } from './tables';
import {
	addMember,
	changedMembers,
	protectAgainstVersion,
	versionDifference,
	type Membership
} from './versions';

interface Member {
	id: string;
	size: string;
	ward: string;
	score: number;
}
const SIZES = ['s', 'm', 'l'];
const WARDS = ['A', 'B', 'C'];
const K = 5;

const key = (size?: string, ward?: string) =>
	[size ? `size=${size}` : '', ward ? `ward=${ward}` : ''].filter(Boolean).join('|') || 'all';
const keysOf = (m: Member) => [key(), key(m.size), key(undefined, m.ward), key(m.size, m.ward)];

/** A size × ward table of counts and score sums (the cell value is the sum an intruder differences). */
function table(members: readonly Member[]): TableSpec {
	const cell = (size?: string, ward?: string): Cell => {
		const ms = members.filter((m) => (!size || m.size === size) && (!ward || m.ward === ward));
		return { key: key(size, ward), n: ms.length, value: ms.reduce((a, m) => a + m.score, 0) };
	};
	return twoWayTable('size×ward', {
		interior: SIZES.map((s) => WARDS.map((w) => cell(s, w))),
		rowTotals: SIZES.map((s) => cell(s)),
		colTotals: WARDS.map((w) => cell(undefined, w)),
		grandTotal: cell()
	});
}

function membership(members: readonly Member[]): Membership {
	const m: Membership = new Map();
	for (const x of members) addMember(m, keysOf(x), x.id, String(x.score));
	return m;
}

/** Statuses of the union of several runs' patterns. */
function union(runs: readonly ProtectionResult[]): Map<string, boolean> {
	const out = new Map<string, boolean>();
	for (const r of runs)
		for (const [k, c] of r.cells) out.set(k, (out.get(k) ?? false) || c.status !== 'published');
	return out;
}

/** Publishes v1, then v2 protected jointly with v1; returns what the public saw of both. */
function publishTwo(v1: readonly Member[], v2: readonly Member[]) {
	const t1 = table(v1);
	const t2 = table(v2);
	const s1 = union([protectTables([t1], { k: K })]);
	const changes = changedMembers(membership(v1), membership(v2));
	const diff = versionDifference(1, changes, K);
	const s2 = union([protectTables([t2], { k: K }), protectAgainstVersion([t2], diff, { k: K })]);
	const value = (t: TableSpec, k: string) => t.cells.find((c) => c.key === k)?.value ?? 0;
	// What an intruder holding both public tables knows of each cell's DIFFERENCE v2 − v1: the difference
	// when both versions published the cell, and 0 when it did not change (assumed known, conservatively).
	const d: ReleasedTable = {
		id: 'difference',
		view: 'public',
		constraints: [...t2.constraints],
		cells: t2.cells.map((c) => {
			const known = (!s1.get(c.key) && !s2.get(c.key)) || changes.get(c.key) === 0;
			return {
				key: c.key,
				n: null,
				value: known ? value(t2, c.key) - value(t1, c.key) : null,
				flag: known ? null : ':c',
				suppressed: !known
			};
		})
	};
	return { s1, s2, changes, diff, d };
}

const firm = (i: number, size: string, ward: string, score: number): Member => ({
	id: `e${i}`,
	size,
	ward,
	score
});

describe('versions that cannot be differenced', () => {
	const v1 = Array.from({ length: 36 }, (_, i) =>
		firm(i, SIZES[i % 3], WARDS[Math.floor(i / 3) % 3], 30 + ((i * 7) % 50))
	);

	it('changed members by hand: joined, left and rescored all count', () => {
		const a = membership([firm(1, 's', 'A', 50), firm(2, 's', 'A', 60), firm(3, 'm', 'B', 70)]);
		const b = membership([firm(1, 's', 'A', 50), firm(2, 's', 'A', 61), firm(4, 'm', 'A', 40)]);
		const c = changedMembers(a, b);
		expect(c.get('all')).toBe(3); // e2 rescored, e3 left, e4 joined
		expect(c.get('size=s')).toBe(1);
		expect(c.get('size=m')).toBe(2);
		expect(c.get('ward=B')).toBe(1);
		expect(c.get('size=s|ward=A')).toBe(1);
		expect(c.get('ward=A')).toBe(2); // e2 rescored, e4 joined
		expect(versionDifference(1, c, 2)).toMatchObject({
			sensitive: ['size=m|ward=A', 'size=m|ward=B', 'size=s', 'size=s|ward=A', 'ward=B'],
			unchanged: []
		});
	});

	it("the issue's attack: one enterprise withdrawn; without joint protection the difference gives its score", () => {
		const v2 = v1.filter((m) => m.id !== 'e4');
		const t1 = table(v1);
		const t2 = table(v2);
		const alone1 = protectTables([t1], { k: K });
		const alone2 = protectTables([t2], { k: K });
		const sum = (r: ProtectionResult, k: string) =>
			r.cells.get(k)?.status === 'published' ? (r.cells.get(k)?.value ?? null) : null;
		const x = v1.find((m) => m.id === 'e4') as Member;
		// Each version protected on its own publishes the sector sum: the difference is e4's score.
		expect((sum(alone1, 'all') as number) - (sum(alone2, 'all') as number)).toBe(x.score);
	});

	it('with joint protection the same attack recovers nothing', () => {
		const v2 = v1.filter((m) => m.id !== 'e4');
		const { s1, s2, d, diff } = publishTwo(v1, v2);
		expect(diff.sensitive).toContain('all');
		for (const k of diff.sensitive) expect(s2.get(k), k).toBe(true);
		const hits = attackReleasedTables([d], 'value').filter(
			(a) => diff.sensitive.includes(a.key) && a.determined
		);
		expect(hits).toEqual([]);
		// Cells published in both versions differ by 0 or ≥ k members.
		expect(s1.size).toBeGreaterThan(0);
	});

	it('property: random revisions never let the difference of two public versions give away a sensitive cell', () => {
		fc.assert(
			fc.property(
				fc.array(fc.tuple(fc.integer({ min: 0, max: 35 }), fc.constantFrom('leave', 'rescore', 'move')), {
					minLength: 1,
					maxLength: 9
				}),
				fc.array(
					fc.tuple(fc.constantFrom(...SIZES), fc.constantFrom(...WARDS), fc.integer({ min: 0, max: 100 })),
					{ maxLength: 6 }
				),
				(edits, joins) => {
					const v2 = new Map(v1.map((m) => [m.id, { ...m }]));
					for (const [i, what] of edits) {
						const m = v2.get(`e${i}`);
						if (!m) continue;
						if (what === 'leave') v2.delete(m.id);
						else if (what === 'rescore') m.score = (m.score + 13) % 100;
						else m.ward = WARDS[(WARDS.indexOf(m.ward) + 1) % 3];
					}
					joins.forEach(([size, ward, score], j) => v2.set(`n${j}`, firm(100 + j, size, ward, score)));
					const { s1, s2, changes, d, diff } = publishTwo(v1, [...v2.values()]);
					for (const k of diff.sensitive) expect(s2.get(k), k).toBe(true);
					for (const [k, c] of changes)
						if (s1.get(k) === false && s2.get(k) === false)
							expect(c === 0 || c >= K, `${k}: ${c}`).toBe(true);
					const hits = attackReleasedTables([d], 'value').filter(
						(a) => diff.sensitive.includes(a.key) && a.determined
					);
					expect(hits).toEqual([]);
				}
			),
			{ numRuns: 150 }
		);
	});
});
