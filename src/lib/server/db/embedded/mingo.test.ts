import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cursor, mingoCursor } from './mingo';

describe('cursor: inclusion projections without mingo', () => {
	it('gives what mingo gives, on nested objects, arrays, dates and missing fields', () => {
		const leaf = fc.oneof(
			fc.integer(),
			fc.string({ maxLength: 3 }),
			fc.constant(null),
			fc.date({ noInvalidDate: true })
		);
		const sub = fc.oneof(
			leaf,
			fc.record({ c: leaf, d: leaf }, { requiredKeys: [] }),
			fc.array(fc.oneof(leaf, fc.record({ c: leaf }, { requiredKeys: [] })), { maxLength: 3 })
		);
		const doc = fc.record({ a: leaf, b: sub, e: sub }, { requiredKeys: [] });
		const projection = fc
			.subarray(['a', 'b', 'b.c', 'b.d', 'e.c', '_id'], { minLength: 1 })
			.chain((paths) =>
				fc.record({
					paths: fc.constant(paths),
					noId: fc.boolean()
				})
			)
			.map(({ paths, noId }) => {
				const p: Record<string, unknown> = {};
				for (const path of paths) p[path] = 1;
				if (noId) p._id = 0;
				return p;
			});
		fc.assert(
			fc.property(fc.array(doc, { maxLength: 6 }), projection, fc.boolean(), (docs, proj, sorted) => {
				const withIds = docs.map((d, i) => ({ _id: `d${i}`, ...d }));
				const opts = { projection: proj, ...(sorted ? { sort: { _id: -1 as const }, limit: 3 } : {}) };
				// Both refuse the same projections (e.g. 'b' with 'b.d': a path collision).
				const outcome = (f: () => unknown) => {
					try {
						return { value: f() };
					} catch {
						return { refused: true };
					}
				};
				expect(outcome(() => cursor(withIds, opts))).toEqual(outcome(() => mingoCursor(withIds, opts)));
			}),
			{ numRuns: 400 }
		);
	});
});
